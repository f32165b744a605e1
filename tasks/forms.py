from django import forms

from .models import CatalogueTask, Domain


class CatalogueTaskForm(forms.ModelForm):
    class Meta:
        model = CatalogueTask
        fields = [
            "title",
            "description",
            "domain",
            "default_hours",
            "source",
            "is_ib_task",
            "not_ib_reason",
        ]
        localized_fields = ["default_hours"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "not_ib_reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, board, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.board = board
        self.fields["domain"].queryset = Domain.objects.all()
        self.fields["domain"].empty_label = None


class CatalogueFilterForm(forms.Form):
    """Search and filter for the catalogue list (GET)."""

    q = forms.CharField(required=False, max_length=100)
    domein = forms.ModelChoiceField(
        queryset=Domain.objects.all(), required=False, to_field_name="code"
    )
    inactief = forms.BooleanField(required=False)
