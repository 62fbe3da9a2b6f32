"""Form widgets in Det Fælles Designsystem's markup.

DKFDS styles a radio button or checkbox only as `<div class="form-group-radio"><input
class="form-radio"><label for=…></div>` (the input sits invisibly over the drawn circle or box);
Django's own markup, the input inside its label, is left as a bare 0×0 input by DKFDS' reset.
"""

from __future__ import annotations

from django import forms


class RadioSelect(forms.RadioSelect):
    template_name = "web/widgets/choices.html"


class CheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    template_name = "web/widgets/choices.html"
