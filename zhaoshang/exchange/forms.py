from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class ImportForm(forms.Form):
    file = forms.FileField(label=_("工作簿（.xlsx）"))
    dry_run = forms.BooleanField(label=_("试导入（只校验，不写入）"), required=False)
    correction_reason = forms.CharField(
        label=_("更正理由"), required=False, max_length=300,
        help_text=_("考核办导入已结账期间的新增或修改记录时必填，将在下期通报中标注"))
    verified = forms.BooleanField(
        label=_("导入的数据已经核实（直接认定）"), required=False,
        help_text=_("仅考核办：导入已核实的台账时勾选，写入的阶段备案和到位资金直接认定，认定人为您"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.UPLOAD_MAX_MB
        if upload.size > limit * 1024 * 1024:
            size = upload.size / 1024 / 1024
            raise forms.ValidationError(gettext("文件大小为%(size)sMB，超过上限%(limit)sMB，请拆分后分批导入")
                                        % {"size": f"{size:.1f}", "limit": limit})
        return upload


class ExportForm(forms.Form):
    unit = forms.CharField(label=_("单位编码"), required=False, help_text=_("留空导出全部可见单位"))
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
