"""Forms whose text never holds characters XML forbids (\x01, \x0b, …).

Plan texts and survey answers end up in Word and Excel files, whose XML cannot hold C0 control
characters: one pasted from another program would break the plan's downloads for everyone.
Every form of the app derives from `SafeTextForm`, which cleans its text on input; the file
writers clean again on output (`jobmaal.filetext`) for what was stored before.
"""

from __future__ import annotations

from django import forms

from jobmaal.filetext import xml_safe


def _clean(value):
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, list | tuple):
        return type(value)(_clean(v) for v in value)
    return value


class SafeTextForm(forms.Form):
    """A form whose cleaned text values are `xml_safe`."""

    def _post_clean(self) -> None:
        super()._post_clean()
        for name, value in list(self.cleaned_data.items()):
            self.cleaned_data[name] = _clean(value)
