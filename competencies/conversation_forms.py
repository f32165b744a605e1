"""Forms of the conversation cycle. Every edit form carries the conversation's version."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.versioning import VersionedFormMixin

from .conversations import linkable_rounds
from .models import AppraisalConversation, AssessmentRound, ConversationPolicy

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


YEARS_MESSAGES = {
    "min_value": _("Choose 1 to 5 years."),
    "max_value": _("Choose 1 to 5 years."),
}


class PolicyForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = ConversationPolicy
        fields = ["functioning_years", "appraisal_years"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The model allows 1 to 5; a positive integer field alone would say "at least 0" for
        # -1 and only the model "at least 1" for 0. One range, one message, min=1 in the page.
        for name in self.Meta.fields:
            field = self.fields[name]
            self.fields[name] = forms.IntegerField(
                label=field.label,
                help_text=field.help_text,
                initial=field.initial,
                min_value=1,
                max_value=5,
                error_messages=YEARS_MESSAGES,
            )


class PlanForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = AppraisalConversation
        fields = ["kind", "date"]
        widgets = {"date": DATE_WIDGET}


class RoundChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, round_: AssessmentRound) -> str:
        return f"{round_.framework.name} · {round_.date:%d-%m-%Y}"


class PreparationForm(VersionedFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Your preparation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What you want to discuss: what went well, what could be better, wishes."),
    )
    share = forms.BooleanField(
        label=_("Share my preparation now"),
        required=False,
        help_text=_(
            "Until you share it, only you read your preparation. Once the report is recorded "
            "the other party reads it too; board staff never do."
        ),
    )
    linked_round = RoundChoiceField(
        label=_("Self-assessment as preparation"),
        queryset=AssessmentRound.objects.none(),
        required=False,
        help_text=_("One of your self-assessments you shared with this director."),
    )

    def __init__(self, *args, conversation: AppraisalConversation, as_ib: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if as_ib:
            self.fields["linked_round"].queryset = linkable_rounds(conversation)
        else:
            del self.fields["linked_round"]


class ReportForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = AppraisalConversation
        fields = ["report", "agreements"]
        widgets = {
            "report": forms.Textarea(attrs={"rows": 10}),
            "agreements": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["report"].required = True


class SignForm(VersionedFormMixin, forms.ModelForm):
    confirm = forms.BooleanField(
        label=_("I have read the report"),
        help_text=_("Signing says you read it, not that you agree; say so in your response."),
        # Not the generic "This field is required.": say what the box is for.
        error_messages={"required": _("Tick that you have read the report before you sign.")},
    )

    class Meta:
        model = AppraisalConversation
        fields = ["ib_response"]
        widgets = {"ib_response": forms.Textarea(attrs={"rows": 5})}
        labels = {"ib_response": _("Your response")}
