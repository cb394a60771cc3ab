"""Submit a Django admin form the way a browser would: every field as the page renders it."""

from html.parser import HTMLParser

from django.db.models.fields.files import FieldFile


class FormFields(HTMLParser):
    """Collects the successful controls of the page's main form (id ending in _form)."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, str | list[str]] = {}
        self.in_form = False
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("id", "").endswith("_form"):
            self.in_form = True
        if not self.in_form:
            return
        if tag == "input":
            self.add_input(a)
        elif tag == "select" and "name" in a:
            self.select = a["name"]
            self.data.setdefault(self.select, "")
        elif tag == "option" and self.select and "selected" in a:
            self.data[self.select] = a.get("value", "")
        elif tag == "textarea" and "name" in a:
            self.textarea = a["name"]
            self.data[self.textarea] = ""

    def add_input(self, a: dict) -> None:
        name, kind = a.get("name"), a.get("type", "text")
        if not name or kind in ("submit", "button", "file", "image"):
            return
        if kind in ("checkbox", "radio") and "checked" not in a:
            return
        self.data[name] = a.get("value", "on" if kind == "checkbox" else "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.in_form = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.data[self.textarea] += data


def admin_form_data(html: str) -> dict:
    parser = FormFields()
    parser.feed(html)
    data = parser.data
    for name in list(data):
        if name.endswith("-__prefix__-") or "__prefix__" in name:
            del data[name]
    return data


def form_values(form) -> dict:
    """A bound-or-initial Django form's values as a browser would post them."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False or value == "" or isinstance(value, FieldFile):
            continue
        data[form.add_prefix(name)] = "on" if value is True else value
    return data


def change_form_data(response) -> dict:
    """What the browser would post back unchanged: the form and every inline's forms."""
    data = form_values(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data |= form_values(formset.management_form)
        for form in formset.forms:
            data |= form_values(form)
    return data
