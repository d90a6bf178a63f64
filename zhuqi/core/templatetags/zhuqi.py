from django import template
from django.template.loader import render_to_string
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


class PageHeadNode(template.Node):
    def __init__(self, kwargs, parts):
        self.kwargs, self.parts = kwargs, parts

    def render(self, context):
        values = {k: v.resolve(context) for k, v in self.kwargs.items()}
        crumbs = [
            (values[url], values.get(f"{url}_label", ""))
            for url in ("parent", "back")  # the farthest first, as a trail reads
            if values.get(url)
        ]
        # a NodeList renders to a SafeString (what the template wrote, its variables escaped): kept as it is, unless
        # it is only white space
        parts = {name: nodelist.render(context) for name, nodelist in self.parts.items()}
        parts = {name: text for name, text in parts.items() if text.strip()}
        return render_to_string(
            "includes/page_head.html",
            {"title": parts.get("title") or values.get("title", ""), "crumbs": crumbs, "head_id": values.get("id", ""),
             "actions": parts.get("actions", ""), "sub": parts.get("sub", ""), "badge": parts.get("badge", "")},
        )  # fmt: skip


@register.tag
def pagehead(parser, token):
    """The shared page header: a trail back (``parent``/``back`` with their ``_label``), the title (``title``, plain
    text, or the part ``title``), and what the page's body between the tags says: its actions, then after
    ``{% part "sub" %}`` a line under the title, after ``{% part "badge" %}`` a status beside it.

        {% pagehead title=case.number back=list_url back_label=_("Cases") %}<a class="btn" …>…</a>
        {% part "sub" %}…{% endpagehead %}"""
    bits = token.split_contents()[1:]
    kwargs = {}
    for bit in bits:
        name, _sep, value = bit.partition("=")
        if not _sep:
            raise template.TemplateSyntaxError("pagehead takes name=value arguments")
        kwargs[name] = parser.compile_filter(value)
    parts, name = {}, "actions"
    while True:
        nodelist = parser.parse(("part", "endpagehead"))
        parts[name] = nodelist
        tag = parser.next_token()
        if tag.contents == "endpagehead":
            break
        name = tag.split_contents()[1].strip("\"'")
    return PageHeadNode(kwargs, parts)
