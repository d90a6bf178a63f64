from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhuqi.org.models import Grid, Park

from .models import Enterprise, QualificationKind, Scale, Tag


class EnterpriseFilterForm(forms.Form):
    q = forms.CharField(
        label=_("搜索"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("名称、拼音首字母或信用代码"), "type": "search"}),
    )
    park = forms.ModelChoiceField(Park.objects.all(), label=_("园区"), required=False, empty_label=_("全部园区"))
    grid = forms.ModelChoiceField(Grid.objects.all(), label=_("网格"), required=False, empty_label=_("全部网格"))
    tag = forms.ModelChoiceField(Tag.objects.all(), label=_("标签"), required=False, empty_label=_("全部标签"))
    qualification = forms.ChoiceField(
        label=_("资质"), required=False, choices=[("", _("全部资质")), *QualificationKind.choices]
    )
    scale = forms.ChoiceField(label=_("规模"), required=False, choices=[("", _("全部规模")), *Scale.choices])
    overdue = forms.BooleanField(label=_("仅看走访逾期"), required=False)
    officer = forms.IntegerField(required=False, widget=forms.HiddenInput)


class EnterpriseForm(forms.ModelForm):
    class Meta:
        model = Enterprise
        fields = [
            "name",
            "credit_code",
            "park",
            "grid",
            "address",
            "industry",
            "industry_detail",
            "scale",
            "headcount",
            "tags",
            "environmental_grade",
        ]
        widgets = {"tags": forms.CheckboxSelectMultiple}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = Grid.objects.select_related("community__town")
        if user is not None and user.role == "park_officer":
            self.fields["park"].queryset = Park.objects.filter(pk=user.park_id)
            self.fields["park"].required = True

    def validate_unique(self):
        # uniqueness is checked by the service inside its transaction, with the same messages
        pass


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("走访日期"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    people_met = forms.CharField(label=_("企业接待人员"), max_length=200, required=False)
    other_officers = forms.CharField(label=_("其他参加人员"), max_length=200, required=False)
    topics = forms.CharField(label=_("走访内容"), widget=forms.Textarea(attrs={"rows": 3}))
    findings = forms.CharField(label=_("发现情况"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    problems = forms.CharField(
        label=_("企业反映的问题"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一个问题；保存后将转入问题办理台账"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visited_on"].initial = timezone.localdate()

    def clean_visited_on(self):
        value = self.cleaned_data["visited_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("走访日期不能晚于今天"))
        return value


class OfficerAssignForm(forms.Form):
    officer = forms.ModelChoiceField(
        queryset=None, label=_("首席服务官"), required=False, empty_label=_("（暂不分包）")
    )
    reason = forms.CharField(label=_("原因"), max_length=200, required=False)

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers


class ContactForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=40)
    title = forms.CharField(label=_("职务"), max_length=40, required=False)
    phone = forms.RegexField(
        label=_("联系电话"),
        regex=r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$",
        required=False,
        error_messages={"invalid": _("联系电话格式不正确（手机号11位，座机如 0375-1234567）")},
    )
    is_primary = forms.BooleanField(label=_("主要联系人"), required=False)


class QualificationForm(forms.Form):
    kind = forms.ChoiceField(label=_("资质"), choices=QualificationKind.choices)
    certificate_no = forms.CharField(label=_("证书编号"), max_length=40)
    valid_from = forms.DateField(label=_("有效期起"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    valid_until = forms.DateField(
        label=_("有效期至"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("valid_from") and data.get("valid_until") and data["valid_until"] < data["valid_from"]:
            self.add_error("valid_until", _("有效期至不能早于有效期起"))
        return data


class LedgerUploadForm(forms.Form):
    file = forms.FileField(label=_("企业台账（.xlsx）"))
