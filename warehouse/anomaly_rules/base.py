"""Shared pieces of the anomaly rules: the rule catalogue, fingerprints, tolerances, findings, per-document context.

A finding's fingerprint is rule + document + subject (never the values), so a reviewer's verdict stays attached
when documents are reloaded. Tolerances follow the rounding of printed 2-dp 万元 values: each term is ±0.005,
so a sum of n terms may be off by 0.005 × (n + 1). Blank is not zero: a rule whose inputs are missing says
nothing rather than guessing.
"""
from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field

import pandas as pd
import regex

from schemas.columns import column_names


@dataclass(frozen=True)
class Rule:
    rule_id: str
    description: str
    severity: str = "warning"
    family: str = "document"


_CATALOGUE = [
    # value identities inside one document (B.7 I1–I3, I7, X5, S1, S2, P1)
    Rule("sum.income_sources", "本年收入合计 ≠ 各项收入之和", "error", "identity"),
    Rule("sum.grand_total", "收入总计 ≠ 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余", "error", "identity"),
    Rule("sum.grand_total_expenditure", "支出总计 ≠ 本年支出合计 + 结余分配 + 年末结转和结余", "error", "identity"),
    Rule("sum.expenditure_split", "本年支出合计 ≠ 基本支出 + 项目支出 + 上缴上级 + 经营 + 对附属单位补助", "error", "identity"),
    Rule("sum.gpb_basic_project", "一般公共预算财政拨款支出 ≠ 基本支出 + 项目支出", "error", "identity"),
    Rule("sum.basic_personnel_public", "一般公共预算基本支出 ≠ 人员经费 + 公用经费", "error", "identity"),
    Rule("sum.sangong_components", "“三公”经费合计 ≠ 因公出国（境）费 + 公务用车购置及运行费 + 公务接待费", "error", "identity"),
    Rule("sum.sangong_budget_components", "“三公”经费预算数合计 ≠ 各项预算数之和", "error", "identity"),
    Rule("sum.vehicle_components", "公务用车购置及运行费 ≠ 购置费 + 运行费", "error", "identity"),
    Rule("sum.procurement_components", "政府采购支出总额 ≠ 货物 + 工程 + 服务", "error", "identity"),
    Rule("bound.procurement_sme", "授予中小企业合同金额超过政府采购总额，或小微企业超过中小企业", "error", "identity"),
    Rule("pct.procurement_sme", "中小企业占比与金额不符", "warning", "identity"),
    Rule("pct.sangong_completion", "“三公”经费完成预算百分比与决算数/预算数不符", "warning", "identity"),
    Rule("pct.zero_denominator", "以零为分母表述完成预算或占比的百分比", "error", "identity"),
    # line items (B.7 I5, I8, I9, X5, S3)
    Rule("items.hierarchy", "科目层级不合：类 ≠ Σ款 或 款 ≠ Σ项", "error", "items"),
    Rule("items.childless", "科目（款）列有金额但其下未列任何项（表中其他款均列至项），疑漏列科目行", "warning", "items"),
    Rule("items.row_total", "科目行的合计 ≠ 各列之和（基本支出 + 项目支出，或各收入来源）", "error", "items"),
    Rule("cross_table.expenditure_by_class", "收入支出决算总表 本年支出合计 ≠ 支出决算表各类支出之和", "error", "items"),
    Rule("cross_table.basic_economic", "基本支出经济分类表 人员经费 + 公用经费 ≠ 一般公共预算支出表 基本支出合计", "error", "items"),
    Rule("cross_table.item_missing", "一般公共预算财政拨款支出表列有的科目（项）在支出决算表中未见", "warning", "items"),
    Rule("cross_table.item_exceeds", "同一科目（项）一般公共预算财政拨款支出大于支出决算表合计（差 0.01 为尾差，仅提示）",
         "warning", "items"),
    Rule("bound.sangong_economic", "基本支出表中的“三公”经济科目超过“三公”经费表对应项目", "warning", "items"),
    # narrative against tables, stated numbers recomputed (N1–N3)
    Rule("narrative_vs_table", "文字说明的数值与表格不一致", "error", "narrative"),
    Rule("claim.yoy", "文字说明的增减额、增减率或增减方向与所比较的数字不符", "warning", "narrative"),
    Rule("claim.share", "文字说明的占比与数字不符", "warning", "narrative"),
    Rule("claim.completion", "文字说明的完成预算百分比与决算数/预算数不符", "warning", "narrative"),
    # counts against amounts (P2)
    Rule("count.vehicles", "公务用车运行费与公务用车保有量矛盾（有费用无车辆或有车辆无费用）", "warning", "counts"),
    Rule("count.reception", "公务接待批次与公务接待费矛盾（有批次无费用或有费用无批次）", "warning", "counts"),
    # across years of one unit
    Rule("cross_year.prior_quote", "本年文件引用的上年数与上年文件不一致", "warning", "cross_year"),
    Rule("cross_year.stated_trend", "文字说明的较上年增减方向与上年文件的数字不符", "warning", "cross_year"),
    Rule("cross_doc.budget_vs_final", "决算文件所列预算数与同一单位同年度预算文件不一致（可能为调整后预算）", "info",
         "cross_year"),
    Rule("cross_year.jump", "主要指标同比变动幅度大（未见说明原因）", "info", "cross_year"),
    # across units
    Rule("cross_unit.sangong_per_staff", "人均“三公”经费在同组单位中显著偏离", "info", "cross_unit"),
    Rule("cross_unit.vehicle_cost_per_vehicle", "单车公务用车运行费在同组单位中显著偏离", "info", "cross_unit"),
    Rule("cross_unit.public_per_staff", "人均公用经费在同组单位中显著偏离", "info", "cross_unit"),
    Rule("cross_unit.sme_share", "授予中小企业合同金额占政府采购比例在同组单位中显著偏离", "info", "cross_unit"),
    Rule("cross_unit.execution_rate", "一般公共预算财政拨款支出执行率（决算/年初预算）在同组单位中显著偏离", "info",
         "cross_unit"),
    # text consistency (running text: cover, headings, table titles, 目录)
    Rule("text.placeholder", "留有模板占位符（XX、××、（单位名称）、20XX年）", "error", "text"),
    Rule("text.unit_name", "标题或编制单位中的单位名称与封面不一致", "warning", "text"),
    Rule("text.fiscal_year", "标题或表名中的年度与文件年度不一致", "warning", "text"),
    Rule("text.report_date", "报告时点（截至YYYY年12月31日）与文件年度不一致", "warning", "text"),
    Rule("text.toc_tables", "目录列出的决算/预算表在文件中未见", "warning", "text"),
    # comparison statements against the numbers beside them
    Rule("compare.budget_word", "“决算数大于/小于/等于预算数”与所述决算数、预算数不符", "error", "compare"),
    Rule("compare.change_word", "“增加/减少/持平”“增长/下降”的表述与所述数字或彼此不符", "error", "compare"),
    Rule("compare.zero_base", "以零为基数表述增长或下降百分比", "error", "compare"),
    Rule("narrative_vs_blank_table", "文字说明列出的“三公”经费数额在表中为空（空表或残表）", "warning", "compare"),
    Rule("deviation.no_reason", "决算数较预算数偏离较大（超过20%），文字说明未见原因", "info", "compare"),
    # disclosure completeness
    Rule("completeness.tables", "决算公开表不全", "warning", "completeness"),
    Rule("completeness.empty_table_note", "空表未说明原因（应注明“本表无数据”或不涉及的理由）", "warning", "completeness"),
    Rule("completeness.note_contradicts_table", "表下注明为空表，但表中有数据", "warning", "completeness"),
    Rule("completeness.table_unread", "表格未能读取（扫描页未识别等），数据不足，不判断是否为空表", "info",
         "completeness"),
]
RULES: dict[str, Rule] = {r.rule_id: r for r in _CATALOGUE}

# a finding's columns come from the table declaration (schemas/), like the DDL and the staging schemas
COLUMNS = column_names("document_findings")


def fingerprint(rule_id: str, doc_id: str | None, subject: str) -> str:
    return hashlib.sha1(f"{rule_id}|{doc_id}|{subject}".encode()).hexdigest()[:16]


def tol(n_terms: int) -> float:
    """Rounding tolerance of a sum of n printed 2-dp terms compared with a printed 2-dp total."""
    return 0.005 * (n_terms + 1) + 1e-9


def pct_tol(stated: float, amount: float, base: float) -> float:
    """Tolerance of a stated percentage recomputed from two printed 2-dp amounts.

    The amounts' rounding (±0.005 each) propagates as 100·0.005·(1/base + amount/base²); the stated figure is
    rounded to its printed precision (a whole number may be a rounded 'X%'). Never tighter than 0.1 pp.
    """
    base = abs(base)
    propagated = 100 * 0.005 * (1 / base + abs(amount) / base ** 2) if base else math.inf
    printed = 0.5 if float(stated).is_integer() and stated not in (0.0, 100.0) else 0.005
    return max(0.1, propagated + printed) + 1e-9


def finding(rule_id: str, doc: dict, metric: str | None, expected, actual, message: str, evidence: str = "",
            page=None, subject: str | None = None, severity: str | None = None) -> dict:
    diff = None if expected is None or actual is None else round(float(actual) - float(expected), 4)
    page = int(page) if page is not None and not (isinstance(page, float) and math.isnan(page)) else None
    return {"fingerprint": fingerprint(rule_id, doc.get("doc_id"), subject or metric or ""), "rule_id": rule_id,
            "severity": severity or RULES[rule_id].severity, "doc_id": doc.get("doc_id"),
            "unit_name": doc.get("unit_name"), "fiscal_year": doc.get("fiscal_year"), "metric_id": metric,
            "expected_value": None if expected is None else float(expected),
            "actual_value": None if actual is None else float(actual), "difference": diff, "message": message,
            "evidence": evidence, "page": page}


_NUMBER = regex.compile(r"(?<![\d.])\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\d.,])\d+(?:\.\d+)?")


def numbers_in(text: str | None) -> list[float]:
    return [float(m.replace(",", "")) for m in _NUMBER.findall(text or "")]


# one shared empty frame per kind: rules only read them, and building three per document cost ~2 ms each time
_EMPTY_FIGS = pd.DataFrame(columns=["metric_id", "amount_wan", "value_num", "source", "table_id", "page", "raw_text",
                                    "figure_seq"])
_EMPTY_CLAIMS = pd.DataFrame(columns=["claim_seq", "claim_type"])
_EMPTY_ITEMS = pd.DataFrame(columns=["table_id", "item_code", "item_name", "column_name", "amount_wan", "page"])


@dataclass
class DocContext:
    """Everything the per-document rules read about one document."""
    doc: dict
    vals: dict[str, float] = field(default_factory=dict)
    figs: pd.DataFrame = field(default_factory=lambda: _EMPTY_FIGS)
    claims: pd.DataFrame = field(default_factory=lambda: _EMPTY_CLAIMS)
    items: pd.DataFrame = field(default_factory=lambda: _EMPTY_ITEMS)
    tables: dict[str, dict] = field(default_factory=dict)  # table_id → {"pages": [...], "n_rows": int}
    lines: list[dict] = field(default_factory=list)  # running text: {"page", "text", "ocr", "confidence"}
    # metric → (ocr, confidence) of its adopted value, for the evidence gate
    value_reading: dict[str, tuple[bool, float | None]] = field(default_factory=dict)

    _fig_index: dict | None = field(default=None, repr=False)
    # derived views rules share (e.g. one table's coded cells), built once per document
    cache: dict = field(default_factory=dict, repr=False)

    def _figures_by_metric(self) -> dict[str, list[dict]]:
        # built once per document: rules ask ``where`` thousands of times per batch
        if self._fig_index is None:
            index: dict[str, list[dict]] = {}
            if len(self.figs):
                for r in self.fig_records():
                    index.setdefault(r["metric_id"], []).append(r)
            for rows in index.values():
                rows.sort(key=lambda r: (r.get("source") != "table", r.get("figure_seq") or 0))
            self._fig_index = index
        return self._fig_index

    def fig_records(self) -> list[dict]:
        """The figures as plain dicts (rules loop over them; pandas row access would dominate)."""
        if "fig_records" not in self.cache:
            self.cache["fig_records"] = self.figs.to_dict("records") if len(self.figs) else []
        return self.cache["fig_records"]

    def where(self, metric: str, source: str | None = None) -> tuple[int | None, str]:
        """(page, text) of the first observation of a metric, from ``source`` if given, else table first."""
        rows = self._figures_by_metric().get(metric, [])
        if source:
            rows = sorted((r for r in rows if r.get("source") == source), key=lambda r: r.get("figure_seq") or 0)
        for r in rows:
            page = r.get("page")
            if page is not None and page == page:  # NaN check
                return int(page), str(r.get("raw_text") or "")
        return None, ""

    def table_page(self, table_id: str) -> int | None:
        pages = (self.tables.get(table_id) or {}).get("pages")
        return int(pages[0]) if pages is not None and len(pages) else None
