"""Error injection for the mutation harness (bench/bench_mutations.py), written apart from the anomaly rules.

Each mutator rewrites what a corpus-factory document prints (its format-neutral blocks, before rendering to DOCX
or PDF) the way a careless publisher would, and returns a description, or None when the document offers no
place for that kind of error. It never imports warehouse.anomaly_rules: it knows publishing habits, not checks.
"""
from __future__ import annotations

import random
import re

AMOUNT = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d{2}")


def _paras(doc, *words):
    return [b for b in doc.blocks if b.kind == "para" and all(w in b.text for w in words)]


def _table(doc, tid):
    return next((b for b in doc.blocks if b.kind == "table" and b.table and b.table.id == tid), None)


def _shift(token: str, delta: float) -> str:
    v = float(token.replace(",", "")) + delta
    return f"{v:,.2f}" if "," in token else f"{v:.2f}"


def narrative_number(doc, rng):
    paras = _paras(doc, "总计") or _paras(doc, "本年支出合计")
    for b in paras:
        m = AMOUNT.search(b.text)
        if m and float(m.group(0).replace(",", "")) > 100:
            new = _shift(m.group(0), rng.choice([-1, 1]) * rng.uniform(20, 90))
            b.text = b.text[:m.start()] + new + b.text[m.end():]
            return {"where": "narrative", "old": m.group(0), "new": new}
    return None


def _item_rows(table, length=7):
    return [i for i, row in enumerate(table.body) if row and re.fullmatch(rf"\d{{{length}}}", row[0].strip() or "-")]


def table_cell(doc, rng):
    for tid in ("T05", "T03"):
        b = _table(doc, tid)
        rows = _item_rows(b.table) if b else []
        for i in rng.sample(rows, len(rows)):
            row = b.table.body[i]
            for j in range(b.table.numeric_from, len(row)):
                if AMOUNT.fullmatch(row[j].strip()):
                    new = _shift(row[j].strip(), rng.uniform(30, 300))
                    old, row[j] = row[j], new
                    return {"table": tid, "row": row[0], "old": old, "new": new}
    return None


def removed_row(doc, rng):
    for tid in ("T03", "T05"):
        b = _table(doc, tid)
        rows = [i for i in (_item_rows(b.table) if b else [])
                if any(AMOUNT.fullmatch(c.strip()) for c in b.table.body[i][b.table.numeric_from:])]
        if rows:
            i = rng.choice(rows)
            row = b.table.body.pop(i)
            b.table.spans = []  # merges of the body rows no longer line up; the header keeps its own
            return {"table": tid, "row": row[0]}
    return None


def removed_table(doc, rng):
    for tid in rng.sample(["T03", "T05", "T02"], 3):
        b = _table(doc, tid)
        if b:
            doc.blocks.remove(b)
            return {"table": tid}
    return None


_FLIPS = [("决算数小于预算数", "决算数大于预算数"), ("决算数等于预算数", "决算数小于预算数"),
          ("决算数大于预算数", "决算数小于预算数")]
_CHANGE = re.compile(r"(增加|减少)(" + AMOUNT.pattern + r")万元，(增长|下降)")


def flipped_comparison(doc, rng):
    choices = []
    for b in doc.blocks:
        if b.kind != "para":
            continue
        for old, new in _FLIPS:
            if old in b.text:
                choices.append((b, old, new))
        m = _CHANGE.search(b.text)
        if m and float(m.group(2).replace(",", "")) > 0.5:
            flip = {"增加": "减少", "减少": "增加", "增长": "下降", "下降": "增长"}
            choices.append((b, m.group(0), f"{flip[m.group(1)]}{m.group(2)}万元，{flip[m.group(3)]}"))
    if not choices:
        return None
    b, old, new = rng.choice(choices)
    b.text = b.text.replace(old, new, 1)
    return {"old": old, "new": new}


def wrong_year(doc, rng):
    y = str(doc.model.fiscal_year)
    heads = [b for b in doc.blocks if b.kind == "heading" and f"{y}年" in b.text]
    dates = [b for b in doc.blocks if b.kind == "para" and f"截至{y}年12月31日" in b.text]
    pool = [(b, f"{y}年", f"{int(y) - 1}年") for b in heads] + \
        [(b, f"截至{y}年12月31日", f"截至{int(y) - 1}年12月31日") for b in dates]
    if not pool:
        return None
    b, old, new = rng.choice(pool)
    b.text = b.text.replace(old, new, 1)
    return {"old": old, "new": new}


def placeholder_unit(doc, rng):
    name = doc.model.unit_name
    m = re.search(r"(局|委员会|院|中心)$", name)
    heads = [b for b in doc.blocks if b.kind == "heading" and name in b.text]
    if not m or not heads:
        return None
    dept = re.sub(r"^.*?[市区县]", "", name)[:-len(m.group(1))]
    fake = name.replace(dept + m.group(1), "XX" + m.group(1)) if dept else name
    b = rng.choice(heads)
    b.text = b.text.replace(name, fake, 1)
    return {"old": name, "new": fake}


_PCT = re.compile(r"占[^，。；%]{0,20}?(\d+\.\d{2})%")


def wrong_percentage(doc, rng):
    pool = [(b, m) for b in doc.blocks if b.kind == "para" for m in _PCT.finditer(b.text)
            if 5 < float(m.group(1)) < 90]
    if not pool:
        return None
    b, m = rng.choice(pool)
    new = f"{float(m.group(1)) + rng.choice([-1, 1]) * rng.uniform(4, 9):.2f}"
    b.text = b.text[:m.start(1)] + new + b.text[m.end(1):]
    return {"old": m.group(1), "new": new}


_SME = re.compile(r"授予中小企业合同金额(" + AMOUNT.pattern + r")万元")
_PROC_TOTAL = re.compile(r"政府采购支出总额(" + AMOUNT.pattern + r")万元")


def sme_above_total(doc, rng):
    for b in _paras(doc, "授予中小企业合同金额"):
        s, t = _SME.search(b.text), _PROC_TOTAL.search(b.text)
        if s and t and float(t.group(1).replace(",", "")) > 1:
            new = _shift(t.group(1), rng.uniform(20, 200))
            b.text = b.text[:s.start(1)] + new + b.text[s.end(1):]
            return {"old": s.group(1), "new": new}
    return None


_HELD = re.compile(r"(公务用车保有量|共有公务用车|共有车辆|单位共有公务用车)(\d+)辆")


def vehicle_cost_without_vehicles(doc, rng):
    if float(doc.true("sangong.vehicle_operation")) <= 0:
        return None
    for b in doc.blocks:
        if b.kind == "para":
            m = _HELD.search(b.text)
            if m and int(m.group(2)) > 0:
                b.text = b.text[:m.start(2)] + "0" + b.text[m.end(2):]
                return {"old": m.group(0)}
    return None


def outlier_sme_share(doc, rng):
    """A unit whose 中小企业 share is a few percent among peers near the usual share, printed consistently."""
    for b in _paras(doc, "授予中小企业合同金额"):
        t = _PROC_TOTAL.search(b.text)
        if not t:
            continue
        total = float(t.group(1).replace(",", ""))
        if total < 50:
            return None
        share = rng.uniform(1.5, 4.0)
        sme = round(total * share / 100, 2)
        text = re.sub(r"授予中小企业合同金额[^，。]*?万元，占政府采购支出总额的[\d.]+%",
                      f"授予中小企业合同金额{sme:.2f}万元，占政府采购支出总额的{100 * sme / total:.2f}%", b.text, count=1)
        text = re.sub(r"授予小微企业合同金额[^，。]*?万元，占政府采购支出总额的[\d.]+%",
                      f"授予小微企业合同金额{sme:.2f}万元，占政府采购支出总额的{100 * sme / total:.2f}%", text, count=1)
        if text != b.text:
            b.text = text
            return {"share": round(share, 2)}
    return None


_QUOTE = re.compile(r"(与(\d{4})年度决算数|上年[^，。；\d]{0,16}?(?:为)?)(" + AMOUNT.pattern + r")万元")


def prior_year_quote(doc, rng):
    for b in doc.blocks:
        if b.kind != "para" or ("总计" not in b.text and "合计" not in b.text):
            continue
        m = _QUOTE.search(b.text)
        if m and float(m.group(3).replace(",", "")) > 50:
            new = _shift(m.group(3), rng.choice([-1, 1]) * rng.uniform(15, 80))
            b.text = b.text[:m.start(3)] + new + b.text[m.end(3):]
            return {"old": m.group(3), "new": new}
    return None


MUTATORS = {
    "narrative_number": narrative_number, "table_cell": table_cell, "removed_row": removed_row,
    "removed_table": removed_table, "flipped_comparison": flipped_comparison, "wrong_year": wrong_year,
    "placeholder_unit": placeholder_unit, "wrong_percentage": wrong_percentage, "sme_above_total": sme_above_total,
    "vehicle_cost_without_vehicles": vehicle_cost_without_vehicles, "outlier_unit": outlier_sme_share,
    "prior_year_quote": prior_year_quote,
}
# kinds whose evidence is statistical (info findings count) or across documents
CROSS_KINDS = {"outlier_unit", "prior_year_quote"}


def mutate(doc, kind: str, seed) -> dict | None:
    return MUTATORS[kind](doc, random.Random(f"{seed}:{kind}"))
