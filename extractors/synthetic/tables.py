"""The nine 决算 tables built from a model, parameterised by each region's titles, codes and layout habits."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from .codes import CN_NUMERALS, ECON_NAMES, EXPENDITURE_CLASSES, FUNCTION_NAMES
from .content import Doc, TableSpec
from .model import ZERO

DEFAULT_TITLES = {
    "T01": "收入支出决算总表", "T02": "收入决算表", "T03": "支出决算表", "T04": "财政拨款收入支出决算总表",
    "T05": "一般公共预算财政拨款支出决算表", "T06": "一般公共预算财政拨款基本支出决算表",
    "T07": "一般公共预算财政拨款“三公”经费支出决算表", "T08": "政府性基金预算财政拨款收入支出决算表",
    "T09": "国有资本经营预算财政拨款支出决算表",
}


@dataclass
class TableStyle:
    titles: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_TITLES))
    codes: dict[str, str] = field(default_factory=dict)  # T01 → 表1 / 公开01表
    org_label: str = "编制单位"
    unit_label: str = "单位"
    unit: str = "万元"  # 元 multiplies every amount by 10000
    blank_zero: bool = True  # real tables leave zero cells blank
    line_numbers: bool = False  # 行次 columns and a 栏次 row (Guangdong)
    thousands: bool = False
    notes: bool = True  # "注：本表反映…" under each table
    tables: tuple[str, ...] = ("T01", "T02", "T03", "T04", "T05", "T06", "T07", "T08", "T09")
    # function tables printed without codes: only 科目名称, 款/项 indented (real: 杭州 T03); the truth's line
    # items keep their codes, which the extractor must map from the names (schemas/codes)
    codeless: tuple[str, ...] = ()


def _is_amount(text: str) -> bool:
    t = (text or "").replace(",", "")
    return bool(t) and t.replace(".", "", 1).isdigit() and float(t) != 0


def _without_codes(spec: TableSpec) -> TableSpec:
    """Drop the 科目编码 column: each row's name indented by its level (类 / 款 2 spaces / 项 4 spaces)."""
    n_head = len(spec.header)
    header = [[row[0]] + row[2:] for row in spec.header]
    header[1][0] = "科目名称"
    body = []
    for row in spec.body:
        code, name = row[0], row[1]
        level = {5: 1, 7: 2}.get(len(code), 0) if code.isdigit() else 0
        body.append([("　" * level + name) if code.isdigit() else code] + row[2:])
    spans = []
    for c0, r0, c1, r1 in spec.spans:
        if r0 < n_head and c0 <= 1 and c1 <= 1:
            continue  # the 项目 / 合计 spans over 编码+名称 are one cell now
        spans.append((max(c0 - 1, 0), r0, max(c1 - 1, 0), r1))
    widths = [spec.col_widths[0] + spec.col_widths[1]] + spec.col_widths[2:] if spec.col_widths else []
    return replace(spec, header=header, body=body, spans=spans, col_widths=widths,
                   numeric_from=max(spec.numeric_from - 1, 1))


class TableBuilder:
    def __init__(self, doc: Doc, style: TableStyle):
        self.doc, self.style, self.m = doc, style, doc.model

    # -- formatting -----------------------------------------------------------------------------------------
    def fmt(self, value: Decimal, blank_zero: bool | None = None) -> str:
        blank = self.style.blank_zero if blank_zero is None else blank_zero
        if value == 0 and blank:
            return ""
        if self.style.unit == "元":
            value = value * 10000
        return f"{value:,.2f}" if self.style.thousands else f"{value:.2f}"

    def spec(self, tid: str, header, body, **kw) -> TableSpec:
        unit_caption = f"{self.style.unit_label}：{self.style.unit}"
        notes = [NOTES[tid]] if self.style.notes and tid in NOTES else []
        return TableSpec(id=tid, title=self.style.titles[tid], header=header, body=body,
                         code=self.style.codes.get(tid), org_line=f"{self.style.org_label}：{self.m.full_name}",
                         unit_caption=unit_caption, notes=notes + kw.pop("extra_notes", []), **kw)

    def tv(self, metric: str, blank_zero: bool | None = None) -> str:
        text = self.fmt(self.doc.table_value(metric, record=False), blank_zero)
        if text:
            self.doc.table_value(metric)
        else:
            self._blanks.append(metric)
        return text

    def build(self) -> list[TableSpec]:
        specs = []
        for tid in self.style.tables:
            self.doc.current_table = tid
            self._blanks: list[str] = []
            spec = getattr(self, f"t{tid[1:]}")()
            if tid in self.style.codeless:
                spec = _without_codes(spec)
            # a blank cell of a printed row is a disclosed 0 (extract-output.md) — but a table that prints no
            # amount at all is an empty template (空表), which discloses nothing
            if any(_is_amount(x) for row in spec.body for x in row):
                for metric in dict.fromkeys(self._blanks):
                    if "table" not in self.doc.observed.get(metric, {}):  # printed in another table: that cell
                        self.doc.table_value(metric, blank=True)
            specs.append(spec)
        self.doc.current_table = None
        return specs

    # -- T01 / T04: two panels ------------------------------------------------------------------------------
    def _class_rows(self) -> list[tuple[str, str, Decimal, Decimal, Decimal]]:
        totals = {code: cols for code, cols in self.m.rows() if len(code) == 3}
        out = []
        for i, (code, name) in enumerate(EXPENDITURE_CLASSES):
            cols = totals.get(code, {})
            out.append((f"{CN_NUMERALS[i]}、{name}", code, cols.get("total", ZERO), cols.get("gpb_total", ZERO),
                        cols.get("gf_total", ZERO)))
        return out

    def t01(self) -> TableSpec:
        ln = self.style.line_numbers
        income = [("一、一般公共预算财政拨款收入", "income.gpb_appropriation"),
                  ("二、政府性基金预算财政拨款收入", "income.gf_appropriation"),
                  ("三、国有资本经营预算财政拨款收入", "income.soe_appropriation"),
                  ("四、上级补助收入", "income.superior_subsidy"), ("五、事业收入", "income.business"),
                  ("六、经营收入", "income.operating"), ("七、附属单位上缴收入", "income.affiliated"),
                  ("八、其他收入", "income.other")]
        classes = self._class_rows()
        body = []
        n = max(len(income), len(classes))
        for i in range(n):
            left = [income[i][0], self.tv(income[i][1])] if i < len(income) else ["", ""]
            right = [classes[i][0], self.fmt(classes[i][2])] if i < len(classes) else ["", ""]
            body.append(self._panel_row(left, right, i + 1 if i < len(income) else None, n + i + 1, ln))
        tail = [(("本年收入合计", "income.total"), ("本年支出合计", "expenditure.total")),
                (("使用非财政拨款结余", "income.use_of_reserves"), ("结余分配", "expenditure.surplus_distribution")),
                (("年初结转和结余", "income.carryover_begin"), ("年末结转和结余", "expenditure.carryover_end")),
                (("总计", "total.grand"), ("总计", "total.grand"))]
        for j, ((lname, lm), (rname, rm)) in enumerate(tail):
            body.append(self._panel_row([lname, self.tv(lm)], [rname, self.tv(rm)], n + 1 + j, 2 * n + 1 + j, ln))
        if ln:
            header = [["收入", "", "", "支出", "", ""], ["项目", "行次", "决算数", "项目", "行次", "决算数"],
                      ["栏次", "", "1", "栏次", "", "2"]]
            spans = [(0, 0, 2, 0), (3, 0, 5, 0)]
            widths = [30, 6, 14, 30, 6, 14]
        else:
            header = [["收入", "", "支出", ""], ["项目", "决算数", "项目", "决算数"]]
            spans = [(0, 0, 1, 0), (2, 0, 3, 0)]
            widths = [32, 14, 32, 14]
        return self.spec("T01", header, body, spans=spans, col_widths=widths, text_cols=(3,) if ln else (2,),
                         numeric_from=1)

    @staticmethod
    def _panel_row(left, right, lno, rno, line_numbers) -> list[str]:
        if not line_numbers:
            return left + right
        return [left[0], str(lno) if lno and left[0] else "", left[1], right[0], str(rno) if right[0] else "", right[1]]

    def t04(self) -> TableSpec:
        income = [("一、一般公共预算财政拨款", "income.gpb_appropriation"),
                  ("二、政府性基金预算财政拨款", "income.gf_appropriation"),
                  ("三、国有资本经营预算财政拨款", "income.soe_appropriation")]
        body = []
        for i, (label, _code, _total, gpb, gf) in enumerate(self._class_rows()):
            left = [income[i][0], self.tv(income[i][1])] if i < len(income) else ["", ""]
            body.append(left + [label, self.fmt(gpb + gf), self.fmt(gpb), self.fmt(gf), ""])
        m = self.doc
        appr_in = m.true("income.gpb_appropriation") + m.true("income.gf_appropriation")
        appr_out = m.true("gpb.expenditure") + m.true("gf.expenditure")
        body.append(["本年收入合计", self.fmt(appr_in), "本年支出合计", self.fmt(appr_out),
                     self.tv("gpb.expenditure"), self.tv("gf.expenditure"), self.tv("soe.expenditure")])
        body.append(["年初财政拨款结转和结余", self.tv("appropriation.carryover_begin"), "年末财政拨款结转和结余",
                     self.tv("appropriation.carryover_end"), self.fmt(self.m.carry_end_appr), "", ""])
        body.append(["总计", self.tv("appropriation.grand"), "总计", self.fmt(self.doc.true("appropriation.grand")),
                     self.fmt(self.m.carry_end_appr + appr_out - m.true("gf.expenditure")),
                     self.fmt(m.true("gf.expenditure")), ""])
        header = [["收入", "", "支出", "", "", "", ""],
                  ["项目", "决算数", "项目", "合计", "一般公共预算财政拨款", "政府性基金预算财政拨款",
                   "国有资本经营预算财政拨款"]]
        return self.spec("T04", header, body, spans=[(0, 0, 1, 0), (2, 0, 6, 0)], col_widths=[26, 11, 26, 11, 13, 13, 13],
                         landscape=True, numeric_from=1, text_cols=(2,))

    # -- classification tables ------------------------------------------------------------------------------
    def _coded(self, tid: str, predicate, columns: list[tuple[str, str]]) -> list[list[str]]:
        """合计 row first, then 类/款/项 rows; records line items with the contract's column names."""
        rows = self.m.rows(predicate)
        totals = {key: sum((cols[key] for code, cols in rows if len(code) == 3), ZERO) for key, _ in columns}
        body = [["合计", ""] + [self.fmt(totals[k]) for k, _ in columns]]
        for code, cols in rows:
            cells = [self.fmt(cols[k]) for k, _ in columns]
            body.append([code, FUNCTION_NAMES[code]] + cells)
            for (key, contract_col), text in zip(columns, cells):
                if contract_col:  # a blank cell of this printed row is a zero line item flagged blank
                    self.doc.line_item(tid, code, FUNCTION_NAMES[code], contract_col, cols[key] if text else ZERO,
                                       blank=not text)
        return body

    def _coded_header(self, labels: list[str]) -> tuple[list[list[str]], list]:
        header = [["项目", ""] + labels, ["科目编码", "科目名称"] + [""] * len(labels)]
        spans = [(0, 0, 1, 0)] + [(2 + i, 0, 2 + i, 1) for i in range(len(labels))]
        if self.style.line_numbers:  # Guangdong prints a 栏次 row numbering the amount columns
            header.append(["栏次", ""] + [str(i + 1) for i in range(len(labels))])
            spans.append((0, 2, 1, 2))
        return header, spans

    def t02(self) -> TableSpec:
        cols = [("income_total", "total"), ("income_appropriation", "appropriation"),
                ("income_superior_subsidy", "superior_subsidy"), ("income_business", "business"),
                ("income_operating", "operating"), ("income_affiliated", "affiliated"), ("income_other", "other")]
        labels = ["本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"]
        header, spans = self._coded_header(labels)
        body = self._coded("T02", lambda r: True, cols)
        self._merge_total(body, spans, len(header))
        return self.spec("T02", header, body, spans=spans, col_widths=[9, 26] + [10] * 7, landscape=True)

    def t03(self) -> TableSpec:
        cols = [("total", "total"), ("basic", "basic"), ("project", "project"), ("zero", "remit_superior"),
                ("zero", "operating"), ("zero", "affiliated_subsidy")]
        labels = ["本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"]
        header, spans = self._coded_header(labels)
        body = self._coded("T03", lambda r: True, cols)
        for metric in ("expenditure.total", "expenditure.basic", "expenditure.project", "expenditure.remit_superior",
                       "expenditure.operating", "expenditure.affiliated_subsidy"):  # the 合计 row
            self.tv(metric)
        self._merge_total(body, spans, len(header))
        return self.spec("T03", header, body, spans=spans, col_widths=[9, 26] + [11] * 6, landscape=True)

    def t05(self) -> TableSpec:
        cols = [("gpb_total", "total"), ("gpb_basic", "basic"), ("gpb_project", "project")]
        header, spans = self._coded_header(["本年支出合计", "基本支出", "项目支出"])
        body = self._coded("T05", lambda r: r.gpb_total > 0, cols)
        self._merge_total(body, spans, len(header))
        for metric in ("gpb.expenditure", "gpb.basic", "gpb.project"):  # the 合计 row
            self.tv(metric)
        return self.spec("T05", header, body, spans=spans, col_widths=[12, 40, 16, 16, 16])

    @staticmethod
    def _merge_total(body, spans, header_rows) -> None:
        spans.append((0, header_rows, 1, header_rows))  # "合计" spans 编码+名称

    def t06(self) -> TableSpec:
        econ = self.m.econ
        left_codes = ["301"] + [c for c in econ if c[:3] == "301"] + ["303"] + [c for c in econ if c[:3] == "303"]
        right_codes = ["302"] + [c for c in econ if c[:3] == "302"] + ["310"] + [c for c in econ if c[:3] == "310"]

        def value(code: str) -> Decimal:
            if len(code) == 3:
                return sum((v for c, v in econ.items() if c[:3] == code), ZERO)
            return econ[code]

        def lane(codes, column):
            out = []
            for code in codes:
                v = value(code)
                out.append([code, ECON_NAMES[code], self.fmt(v, blank_zero=False)])
                self.doc.line_item("T06", code, ECON_NAMES[code], column, v)
            return out

        left, right = lane(left_codes, "personnel"), lane(right_codes, "public")
        n = max(len(left), len(right))
        left += [["", "", ""]] * (n - len(left))
        right += [["", "", ""]] * (n - len(right))
        body = [a + b for a, b in zip(left, right)]
        body.append(["人员经费合计", "", self.tv("gpb.personnel", False), "公用经费合计", "", self.tv("gpb.public", False)])
        header = [["人员经费", "", "", "公用经费", "", ""], ["科目编码", "科目名称", "决算数", "科目编码", "科目名称", "决算数"]]
        spans = [(0, 0, 2, 0), (3, 0, 5, 0), (0, len(body) + 1, 1, len(body) + 1), (3, len(body) + 1, 4, len(body) + 1)]
        return self.spec("T06", header, body, spans=spans, col_widths=[9, 24, 12, 9, 24, 12], text_cols=(3, 4))

    def t07(self) -> TableSpec:
        keys = ["total", "abroad", "vehicle", "vehicle_purchase", "vehicle_operation", "reception"]
        row = []
        for block in ("budget", "actual"):
            for k in keys:
                metric = "sangong." + (("budget" if k == "total" else f"{k}_budget") if block == "budget" else k)
                row.append(self.tv(metric, blank_zero=False))
        header = [["预算数", "", "", "", "", "", "决算数", "", "", "", "", ""],
                  ["合计", "因公出国（境）费", "公务用车购置及运行费", "", "", "公务接待费"] * 2,
                  ["", "", "小计", "公务用车购置费", "公务用车运行费", ""] * 2]
        spans = [(0, 0, 5, 0), (6, 0, 11, 0)]
        for off in (0, 6):
            spans += [(off, 1, off, 2), (off + 1, 1, off + 1, 2), (off + 2, 1, off + 4, 1), (off + 5, 1, off + 5, 2)]
        extra = []
        if self.doc.true("sangong.total") == 0:
            extra = [f"说明：{self.m.unit_name}本年度没有财政拨款“三公”经费支出，故本表无数据。"]
        return self.spec("T07", header, [row], spans=spans, col_widths=[1] * 12, landscape=True, numeric_from=0,
                         extra_notes=extra)

    def t08(self) -> TableSpec:
        labels = ["年初结转和结余", "本年收入", "本年支出", "", "", "年末结转和结余"]
        header = [["项目", ""] + labels, ["科目编码", "科目名称", "", "", "小计", "基本支出", "项目支出", ""]]
        spans = [(0, 0, 1, 0), (2, 0, 2, 1), (3, 0, 3, 1), (4, 0, 6, 0), (7, 0, 7, 1)]
        rows = self.m.rows(lambda r: r.gf_project > 0)
        body, extra = [], []
        if rows:
            total = self.doc.table_value("gf.expenditure")
            body.append(["合计", "", "", self.fmt(total), self.fmt(total), "", self.fmt(total), ""])
            for code, cols in rows:
                v = cols["gf_total"]
                body.append([code, FUNCTION_NAMES[code], "", self.fmt(v), self.fmt(v), "", self.fmt(v), ""])
                self.doc.line_item("T08", code, FUNCTION_NAMES[code], "total", v)
                self.doc.line_item("T08", code, FUNCTION_NAMES[code], "project", v)
            spans.append((0, 2, 1, 2))
        else:
            extra = [f"说明：{self.m.unit_name}本年度没有政府性基金预算财政拨款收入，也没有使用政府性基金预算财政拨款安排的支出，故本表无数据。"]
        return self.spec("T08", header, body, spans=spans, col_widths=[9, 26, 11, 11, 11, 11, 11, 11], landscape=True,
                         extra_notes=extra)

    def t09(self) -> TableSpec:
        header = [["项目", "", "本年支出", "", ""], ["科目编码", "科目名称", "合计", "基本支出", "项目支出"]]
        spans = [(0, 0, 1, 0), (2, 0, 4, 0)]
        note = f"说明：{self.m.unit_name}本年度没有国有资本经营预算财政拨款支出，故本表无数据。"
        return self.spec("T09", header, [], spans=spans, col_widths=[12, 40, 16, 16, 16], extra_notes=[note])


NOTES = {
    "T01": "注：本表反映部门本年度的总收支和年末结转结余情况。",
    "T02": "注：本表反映部门本年度取得的各项收入情况。",
    "T03": "注：本表反映部门本年度各项支出情况。",
    "T04": "注：本表反映部门本年度一般公共预算财政拨款和政府性基金预算财政拨款的总收支和年末结转结余情况。",
    "T05": "注：本表反映部门本年度一般公共预算财政拨款实际支出情况。",
    "T06": "注：本表反映部门本年度一般公共预算财政拨款基本支出明细情况。",
    "T07": "注：本表反映部门本年度“三公”经费支出预决算情况。",
    "T08": "注：本表反映部门本年度政府性基金预算财政拨款收入、支出及结转和结余情况。",
    "T09": "注：本表反映部门本年度国有资本经营预算财政拨款支出情况。",
}
