"""Which links are attachments: the download endpoints portals publish files through (no file in the path; the
query, the link text or only Content-Disposition names it), and the list/paging/search links that are not."""
from __future__ import annotations

import pytest

from extractors.crawl.config import DEFAULT_ATTACHMENT_EXTENSIONS
from extractors.crawl.links import is_attachment


@pytest.mark.parametrize("url,text,expected", [
    # endpoints whose query names the file, or whose link text says 下载/附件 or is the file's own name
    ("/module/download/downfile.jsp?classid=0&filename=161234500.pdf", "点击下载附件", True),
    ("/module/download/down.jsp?i_ID=123&colID=456", "2024年度长沙市交通局部门决算.pdf", True),  # TRS down.jsp
    ("/download.do?iid=33", "附件：2024年度长沙市文旅局部门决算", True),
    ("/getFile.action?id=77", "下载", True),
    ("/common/download?uuid=ab12", "2024年度长沙市交通局部门决算.pdf", True),
    ("/front/attachment/download?attachmentId=11", "附件1", True),
    ("/fileserver/download/20250929/ab12", "下载", True),
    # pages: lists, paging, searches, a column's id is not a file's
    ("/download/index.jsp?page=2", "下一页", False),
    ("/attachment/list.jsp?columnId=3", "专栏", False),
    ("/col/col1229/index.jsp?pageNum=2", "2", False),
    ("/search?keyword=决算", "搜索", False),
    ("/module/download/downfile.jsp?classid=0&filename=161234500.pdf&x=.html", "下载", True),
    ("/module/download/list.html?id=3", "附件", False),
])
def test_download_endpoints(url, text, expected):
    assert is_attachment(url, list(DEFAULT_ATTACHMENT_EXTENSIONS), "", text) is expected
