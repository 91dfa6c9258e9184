from __future__ import annotations

from django import forms
from django.conf import settings


class ImportForm(forms.Form):
    file = forms.FileField(label="工作簿（.xlsx）")
    dry_run = forms.BooleanField(label="试导入（只校验，不写入）", required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.UPLOAD_MAX_MB
        if upload.size > limit * 1024 * 1024:
            size = upload.size / 1024 / 1024
            raise forms.ValidationError(f"文件大小为{size:.1f}MB，超过上限{limit}MB，请拆分后分批导入")
        return upload


class ExportForm(forms.Form):
    unit = forms.CharField(label="单位编码", required=False, help_text="留空导出全部可见单位")
    year = forms.IntegerField(label="年度", required=False, min_value=2000, max_value=2100)
