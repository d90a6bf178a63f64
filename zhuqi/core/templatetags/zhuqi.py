from django import template

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
