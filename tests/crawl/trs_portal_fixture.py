"""A held-out-style TRS portal on 127.0.0.1: twelve 部门决算 published every way portals publish them, and the
things that sit beside them in the same column.

Disclosures (12): ./P0….pdf attachments; ``/module/download/downfile.jsp?classid=0&filename=NNN.pdf`` linked as
点击下载附件 whose real name comes only in Content-Disposition (no ETag/Last-Modified, as the JSP sends none);
``download.do?iid=`` (a DOCX) and ``getFile.action?id=`` links; a list-page downfile link; Zhengzhou-style
/attachment/<中文>.pdf?token; an article whose body is the disclosure (tables and 情况说明); one article linking the
same file twice (P0 and downfile).

Not disclosures: the 人大常委会 decision approving the 市级决算 (once under its own title, once as 点击下载附件
under a neutral title, so only its text tells), a 通知, a 会议 and a '我市…工作顺利完成' news page without
attachments, a news page with a neutral title, a 绩效评价结果 PDF and the 市级决算 report.
"""
from __future__ import annotations

import io
from urllib.parse import parse_qs, quote

from crawl_portal_fixture import PortalServer, Resource, detail_page, list_page

FONT = "STSong-Light"
UNITS = ["市民政局", "市教育局", "市卫健委", "市交通局", "市水务局", "市审计局", "市统计局", "市文旅局", "市档案局",
         "市司法局", "市商务局", "市体育局"]
YEAR = 2024


def cjk_pdf(lines: list[str]) -> bytes:
    """A one-page PDF whose text layer holds ``lines`` (CID font: no font file needed, text extractable)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    c.setFont(FONT, 11)
    for i, line in enumerate(lines):
        c.drawString(60, 780 - 18 * i, line)
    c.showPage()
    c.save()
    return buf.getvalue()


def final_accounts_lines(unit: str, year: int = YEAR) -> list[str]:
    return [f"长沙{unit}{year}年度部门决算", "目录", "第一部分 部门概况", "一、主要职能", "二、机构设置",
            f"第二部分 {year}年度部门决算表", "一、收入支出决算总表", "二、收入决算表", "三、支出决算表",
            "四、财政拨款收入支出决算总表", "五、一般公共预算财政拨款支出决算表", "六、财政拨款“三公”经费支出决算表",
            f"第三部分 {year}年度部门决算情况说明", f"本年收入合计{1000 + len(unit) * 37}.25万元。"]


def final_accounts_docx(unit: str, year: int = YEAR) -> bytes:
    import docx

    d = docx.Document()
    for line in final_accounts_lines(unit, year):
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


DECISION = ["长沙市人民代表大会常务委员会关于批准长沙市2024年市级决算的决议",
            "（2025年8月28日长沙市第十六届人民代表大会常务委员会第二十次会议通过）",
            "长沙市第十六届人民代表大会常务委员会第二十次会议听取和审议了市人民政府关于长沙市2024年市级决算的报告，",
            "会议决定批准长沙市2024年市级决算。"]
PERFORMANCE = ["2024年度长沙市水务局专项资金绩效评价结果", "为加强财政支出管理，提高财政资金使用效益，",
               "市财政局对专项资金实施了绩效评价。评价得分92分，评价等级为优。"]
REPORT = ["关于长沙市2024年市级决算的报告", "——2025年8月26日在市第十六届人民代表大会常务委员会第二十次会议上",
          "主任、各位副主任、秘书长、各位委员：受市人民政府委托，现将长沙市2024年市级决算情况报告如下，请予审议。",
          "一、2024年市级一般公共预算收支决算情况"]
BODY_DISCLOSURE = """<p>一、部门概况</p><p>（一）主要职能：负责全市体育工作。</p>
<p>二、2024年度部门决算情况说明</p><p>本年收入合计1,234.56万元，本年支出合计1,200.00万元。</p>
<table><tr><td>项目</td><td>本年收入</td><td>本年支出</td></tr><tr><td>合计</td><td>1234.56</td><td>1200.00</td></tr>
<tr><td>一般公共预算财政拨款</td><td>1100.00</td><td>1080.50</td></tr><tr><td>其他收入</td><td>134.56</td><td>119.50</td></tr>
</table><p>三、“三公”经费支出决算情况说明：“三公”经费支出12.30万元。</p>"""


def _cd(name: str) -> dict:
    return {"Content-Disposition": f"attachment; filename=\"download\"; filename*=UTF-8''{quote(name)}"}


class TrsPortal:
    BASE = "/col/col1229/"
    DOWNFILE = "/module/download/downfile.jsp"

    def __init__(self, server: PortalServer):
        self.s = s = server
        b = self.BASE
        self.disclosures: dict[str, bytes] = {u: cjk_pdf(final_accounts_lines(u)) for u in UNITS}
        self.disclosures["市文旅局"] = final_accounts_docx("市文旅局")
        self.downfiles: dict[str, Resource] = {}
        s.add("/robots.txt", "User-agent: *\nDisallow: /admin/\n", content_type="text/plain")
        t = f"{YEAR}年度长沙{{}}部门决算"
        items = []

        def article(aid: str, title: str, date: str, attachments=(), body: str = "") -> None:
            path = f"{date[:4]}{date[5:7]}/t{date.replace('-', '')}_{aid}.html"
            s.add(b + path, detail_page(title, date, list(attachments), body=body))
            items.append((f"./{path}", title, date))

        def downfile(filename: str, data: bytes, real_name: str) -> str:
            self.downfiles[filename] = Resource(body=data, content_type="application/octet-stream",
                                                headers=_cd(real_name), validators="none")
            return f"{self.DOWNFILE}?classid=0&filename={filename}"

        # 1-3: TRS ./P0….pdf attachments
        for i, unit in enumerate(UNITS[:3]):
            name = f"P02025092900000{i}.pdf"
            s.add(b + f"202509/{name}", self.disclosures[unit], content_type="application/pdf")
            article(f"10{i}", t.format(unit), "2025-09-29", [(f"./{name}", t.format(unit) + ".pdf")])
        # 4-5: downfile.jsp, 点击下载附件, the real name only in Content-Disposition
        for i, unit in enumerate(UNITS[3:5]):
            href = downfile(f"16123450{i}.pdf", self.disclosures[unit], t.format(unit) + ".pdf")
            article(f"20{i}", t.format(unit), "2025-09-28", [(href, "点击下载附件")])
        # 6: same file linked twice on one article (P0 and downfile): stored once
        unit = UNITS[5]
        s.add(b + "202509/P020250927000009.pdf", self.disclosures[unit], content_type="application/pdf")
        article("300", t.format(unit), "2025-09-27",
                [("./P020250927000009.pdf", t.format(unit) + ".pdf"),
                 (downfile("161234509.pdf", self.disclosures[unit], t.format(unit) + ".pdf"), "点击下载附件")])
        # 7: Zhengzhou-style /attachment/<url-encoded 中文>.pdf?<token>
        unit = UNITS[6]
        s.add(f"/attachment/{t.format(unit)}.pdf", self.disclosures[unit], content_type="application/pdf")
        article("400", t.format(unit), "2025-09-26", [(f"/attachment/{quote(t.format(unit))}.pdf?kQ2v_x==", "附件1")])
        # 8: download.do?iid= serving a DOCX, link text '附件：…'
        unit = UNITS[7]
        s.add("/download.do", self.disclosures[unit], content_type="application/octet-stream",
              headers=_cd(t.format(unit) + ".docx"))
        article("500", t.format(unit), "2025-09-25", [("/download.do?iid=33", f"附件：{t.format(unit)}")])
        # 9: a downfile link straight on the list page
        unit = UNITS[8]
        items.append((downfile("161234599.pdf", self.disclosures[unit], t.format(unit) + ".pdf"), t.format(unit),
                      "2025-09-24"))
        # 10: getFile.action?id=, link text 下载
        unit = UNITS[9]
        s.add("/getFile.action", self.disclosures[unit], content_type="application/pdf")
        article("600", t.format(unit), "2025-09-23", [("/getFile.action?id=77", "下载")])
        # 11: P0 attachment whose link text is the bare file name
        unit = UNITS[10]
        s.add(b + "202509/P020250922000011.pdf", self.disclosures[unit], content_type="application/pdf")
        article("700", t.format(unit), "2025-09-22", [("./P020250922000011.pdf", "P020250922000011.pdf")])
        # 12: the article body is the disclosure
        unit = UNITS[11]
        article("800", t.format(unit), "2025-09-21", body=BODY_DISCLOSURE)
        del self.disclosures[unit]  # its disclosure is the page itself
        self.body_page = "t20250921_800.html"
        self.disclosure_count = 12

        # --- not disclosures ---
        s.add(b + "202509/P020250901000001.pdf", cjk_pdf(DECISION), content_type="application/pdf")
        article("901", "长沙市人大常委会关于批准长沙市2024年市级决算的决议", "2025-09-01",
                [("./P020250901000001.pdf", "决议全文.pdf")])
        article("902", "2024年度决算公开", "2025-09-02", [(downfile("161230001.pdf", cjk_pdf(DECISION), "1.pdf"),
                                                      "点击下载附件")])
        article("903", "关于做好2024年度部门决算公开工作的通知", "2025-06-01",
                body="<p>各区县（市）财政局、市直各单位：</p><p>现将有关事项通知如下。请于2025年9月30日前公开。</p><p>特此通知。</p>")
        article("904", "市财政局召开2024年度部门决算工作布置会", "2025-05-10",
                body="<p>5月10日，市财政局召开2024年度部门决算工作布置会。会议强调，要按时完成部门决算编报。</p>")
        article("905", "我市2024年度部门决算公开工作顺利完成", "2025-10-10",
                body="<p>截至9月底，全市各部门均已按要求公开2024年度部门决算。</p>")
        article("908", "2024年度部门决算公开工作情况", "2025-10-11",
                body="<p>截至9月底，各部门均已按要求在门户网站公开2024年度部门决算，公开内容完整。</p>")
        s.add(b + "202509/P020250903000001.pdf", cjk_pdf(PERFORMANCE), content_type="application/pdf")
        article("906", "长沙市水务局2024年度决算项目绩效评价结果", "2025-09-03",
                [("./P020250903000001.pdf", "绩效评价结果.pdf")])
        s.add(b + "202508/P020250829000001.pdf", cjk_pdf(REPORT), content_type="application/pdf")
        article("907", "关于长沙市2024年市级决算的报告", "2025-08-29", [("./P020250829000001.pdf", "点击下载附件")])
        self.negatives = {"t20250901_901": "decision", "161230001.pdf": "decision", "t20250601_903": "notice",
                          "t20250510_904": "meeting", "t20251010_905": "meeting", "t20251011_908": "news",
                          "t20250903_906": "performance",
                          "t20250829_907": "report"}
        self.items = items
        s.add(self.DOWNFILE, handler=self._downfile)
        half = (len(items) + 1) // 2
        s.add(b + "index.html", list_page(items[:half], 2, 0))
        s.add(b + "index_1.html", list_page(items[half:], 2, 1))

    def _downfile(self, query: str) -> Resource | None:
        name = (parse_qs(query).get("filename") or [""])[0]
        return self.downfiles.get(name)

    @property
    def start_url(self) -> str:
        return self.s.url(self.BASE + "index.html")


SOURCES = """\
sources:
  - name: trs_portal
    kind: portal
    start_urls: ["{start}"]
    allowed_ips: ["127.0.0.1/32"]
    kinds: [final_accounts]
    rate_limit: 500
    timeout: 5
    retries: 0
"""
