"""单位, 分组 and 人员."""

from __future__ import annotations

from zhaoshang.core.fastwrite import create_with_history, update_with_history
from zhaoshang.orgs.models import Grouping, GroupMembership, Person, Unit, UnitGroup

from .base import Handler, Row


def chunks(items: list, size: int = 2000):
    for i in range(0, len(items), size):
        yield items[i:i + size]


class UnitHandler(Handler):
    """Units are master data: only assessors and admins change them (as `orgs.services.unit_*`).
    Parents may be units further down the file, so the sheet is read whole (units number in the
    hundreds) and new units are created level by level, parents first."""

    sheet_name = "单位"
    model = Unit
    fields = {"code": "code", "name": "name", "kind": "kind"}
    refs = {"parent": ("unit", "parent_id")}
    ref_kind = "unit"
    what = "单位"

    def __init__(self, ctx, reader):
        super().__init__(ctx, reader)
        self.col_of_field["group"] = "group"
        if "group" in self.present_keys:
            self.tracked.append("group_id")
        self.groups: dict[str, int] = {}
        for pk, code, name in UnitGroup.objects.values_list("id", "code", "name"):
            self.groups[code] = pk
            self.groups[name] = pk
        self.new_groups: dict[str, int] = {}
        self.file_units: dict[str, int] = {}  # code of a unit new in this file → its stand-in id
        self.all_rows: list[Row] = []

    def run(self) -> None:
        rows = [r for r in (self.parse(n, raw) for n, raw in self.reader.rows())]
        self.ctx.advance(len(rows), self.sheet_name)
        keyed = [r for r in rows if r.key is not None]
        existing = {(u.code,): u for u in Unit.objects.filter(code__in=[r.key[0] for r in keyed])}
        self.parents = dict(Unit.objects.values_list("code", "parent__code"))
        for row in keyed:
            if row.key not in existing:
                self.file_units[row.key[0]] = self.ctx.sentinel()
            if "parent" in row.values and "parent" not in row.bad:
                self.parents[row.key[0]] = row.values["parent"] or None
        for row in keyed:
            self.resolve_parent(row)
            self.process(row, existing.get(row.key))
        self.flush()

    def resolve(self, row: Row) -> None:
        pass  # parents are resolved once every code in the file is known

    def resolve_parent(self, row: Row) -> None:
        code = row.values.get("parent")
        if "parent" not in row.values or "parent" in row.bad:
            return
        if not code:
            row.ids["parent"] = None
        elif code in self.ctx.units:
            row.ids["parent"] = self.ctx.units[code]
        elif code in self.file_units:
            row.ids["parent"] = self.file_units[code]
        else:
            row.bad.add("parent")
            self.error(row.number, "parent", f"上级单位编码“{code}”不存在（文件和系统中都没有）")

    def assign(self, instance, row: Row) -> None:
        super().assign(instance, row)
        if "group" in row.values and "group" not in row.bad:
            name = row.values["group"]
            if not name:
                instance.group_id = None
            elif name in self.groups:
                instance.group_id = self.groups[name]
            else:
                instance.group_id = self.new_groups.setdefault(name, self.ctx.sentinel())

    def units_of(self, instance) -> list:
        return []

    def permission(self, instance, old_units, row) -> str | None:
        if not self.ctx.user.is_assessor:
            return "只有系统管理员和考核办可以新增或修改单位"
        return None

    def permission_column(self) -> str:
        return "code"

    def extra_checks(self, instance, before, row) -> list[tuple[str, str]]:
        code = row.key[0]
        parent = self.parents.get(code)
        if parent == code:
            return [("parent", "单位不能是自己的上级")]
        seen, current = {code}, parent
        while current:
            if current in seen:
                return [("parent", "上级单位形成循环：上级单位不能是本单位的下级")]
            seen.add(current)
            current = self.parents.get(current)
        return []

    def new_instance(self, row: Row):
        return Unit()

    def register(self, instance, row: Row) -> None:
        self.ctx.units[instance.code] = instance.pk if instance.pk is not None else self.file_units[instance.code]

    def flush(self) -> None:
        if not self.ctx.writing:
            for instance in self.creates:
                instance.pk = self.file_units[instance.code]
            self.creates, self.updates = [], []
            for instance, row in self.pending_rows:
                self.register(instance, row)
            self._pending = []
            return
        real: dict[int, int] = {}
        for name, stand_in in self.new_groups.items():
            group = UnitGroup(code=name[:32], name=name)
            group._history_user = self.ctx.actor
            group.save()
            real[stand_in] = group.pk
        for instance in [*self.creates, *self.updates]:
            if instance.group_id is not None and instance.group_id < 0:
                instance.group_id = real[instance.group_id]
        # Create new units parents first; a unit whose parent is also new waits for the next round.
        waiting = list(self.creates)
        while waiting:
            ready = [u for u in waiting if u.parent_id is None or u.parent_id >= 0 or u.parent_id in real] or waiting
            for unit in ready:
                if unit.parent_id is not None and unit.parent_id < 0:
                    unit.parent_id = real.get(unit.parent_id)
            create_with_history(Unit, ready, user=self.ctx.actor)
            for unit in ready:
                real[self.file_units[unit.code]] = unit.pk
            done = {id(u) for u in ready}
            waiting = [u for u in waiting if id(u) not in done]
        for instance in self.updates:
            if instance.parent_id is not None and instance.parent_id < 0:
                instance.parent_id = real[instance.parent_id]
        if self.updates:
            update_with_history(Unit, self.updates, sorted(self.update_fields), user=self.ctx.actor)
        for instance, row in self.pending_rows:
            self.register(instance, row)
        self.creates, self.updates, self._pending = [], [], []


class GroupingHandler(Handler):
    """分组: a unit's group under a named grouping (分组口径), one row per unit and grouping; a row replaces
    the unit's group in that grouping. Master data like 单位: only assessors and admins import it. A
    grouping or group named for the first time is created, as the 单位 sheet does for 考核组别."""

    sheet_name = "分组"
    model = GroupMembership
    fields = {}
    refs = {"unit": ("unit", "unit_id")}
    what = "分组口径"

    def __init__(self, ctx, reader):
        super().__init__(ctx, reader)
        self.col_of_field.update({"grouping": "grouping", "group": "group"})
        self.tracked = ["group_id"]  # unit and grouping are the row's key
        self.groupings: dict[str, int] = dict(Grouping.objects.values_list("name", "id"))
        self.groups: dict[str, int] = {}
        for pk, code, name in UnitGroup.objects.values_list("id", "code", "name"):
            self.groups[code] = pk
            self.groups[name] = pk
        self.new_groupings: dict[str, int] = {}  # name → stand-in id until written
        self.new_groups: dict[str, int] = {}

    def load_existing(self, keys):
        found = {}
        unit_ids = [k[0] for k in keys if k[0] is not None and k[0] > 0]
        names = {k[1] for k in keys}
        for part in chunks(unit_ids):
            rows = GroupMembership.objects.filter(unit_id__in=part, grouping__name__in=names).select_related(
                "grouping")
            found.update({(m.unit_id, m.grouping.name): m for m in rows})
        return found

    def assign(self, instance, row: Row) -> None:
        super().assign(instance, row)
        grouping = row.values.get("grouping")
        if grouping and instance.grouping_id is None:
            instance.grouping_id = self.groupings.get(grouping) or self.new_groupings.setdefault(
                grouping, self.ctx.sentinel())
        group = row.values.get("group")
        if group and "group" not in row.bad:
            instance.group_id = self.groups.get(group) or self.new_groups.setdefault(group, self.ctx.sentinel())

    def units_of(self, instance) -> list:
        return []

    def permission(self, instance, old_units, row) -> str | None:
        if not self.ctx.user.is_assessor:
            return "只有系统管理员和考核办可以维护分组口径"
        return None

    def write(self, creates: list, updates: list, fields: set[str]) -> None:
        real: dict[int, int] = {}
        for name, stand_in in list(self.new_groupings.items()):
            grouping = Grouping(name=name)
            grouping._history_user = self.ctx.actor
            grouping.save()
            real[stand_in] = self.groupings[name] = grouping.pk
        for name, stand_in in list(self.new_groups.items()):
            group = UnitGroup(code=name[:32], name=name)
            group._history_user = self.ctx.actor
            group.save()
            real[stand_in] = self.groups[name] = group.pk
        self.new_groupings, self.new_groups = {}, {}
        for instance in [*creates, *updates]:
            instance.grouping_id = real.get(instance.grouping_id, instance.grouping_id)
            instance.group_id = real.get(instance.group_id, instance.group_id)
        super().write(creates, updates, fields)


class PersonHandler(Handler):
    sheet_name = "人员"
    model = Person
    fields = {"staff_no": "staff_no", "name": "name", "title": "title", "role": "role"}
    refs = {"unit": ("unit", "unit_id")}
    ref_kind = "person"
    what = "该单位的人员"

    def load_existing(self, keys):
        found = {}
        for part in chunks([k[0] for k in keys]):
            found.update({(p.staff_no,): p for p in Person.objects.filter(staff_no__in=part)})
        return found

    def register(self, instance, row: Row) -> None:
        self.ctx.persons[instance.staff_no] = (instance.pk, instance.unit_id)
