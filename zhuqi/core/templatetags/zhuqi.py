from django import template
from django.utils.html import format_html

from zhuqi.core.masking import mask_phone

register = template.Library()

_CLASSES = {"select": "form-select", "checkbox": "form-check-input", "selectmultiple": "form-select"}


@register.filter
def bs(field):
    """A form field's widget with Bootstrap's class, marked invalid when it has errors."""
    css = _CLASSES.get(field.widget_type, "form-control")
    if field.errors:
        css += " is-invalid"
    return field.as_widget(attrs={"class": css})


@register.filter
def labelled(field):
    """A filter's field with its label above it: a placeholder or a first choice such as 全部园区 is no label."""
    return format_html('<label class="form-label" for="{}">{}</label>{}', field.id_for_label, field.label, bs(field))


@register.filter
def bs_named(field):
    """A field in a row of a table-like form, whose column heading is its visible label: named for screen readers."""
    css = _CLASSES.get(field.widget_type, "form-control") + (" is-invalid" if field.errors else "")
    return field.as_widget(attrs={"class": css, "aria-label": str(field.label)})


@register.simple_tag
def phone(number, full: bool):
    return number if full else mask_phone(number)


@register.simple_tag
def page_query(query: str, page: int) -> str:
    """The current filters with another page number."""
    from django.http import QueryDict

    params = QueryDict(query, mutable=True)
    params["page"] = page
    return params.urlencode()


@register.filter
def absolute(value):
    return abs(value) if isinstance(value, int) else value


@register.filter
def get_item(mapping, key):
    return mapping.get(key, ()) if hasattr(mapping, "get") else ()
