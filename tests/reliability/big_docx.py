"""Big DOCX files built at test time from raw XML (python-docx add_row is too slow for 50k rows); never committed."""
import zipfile


def build(path, rows, cols=4, cell_pad=0):
    ct = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
          '<Default Extension="xml" ContentType="application/xml"/>'
          '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
    W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", ct)
        z.writestr("_rels/.rels", rels)
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            f.write(f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>'
                    '<w:p><w:r><w:t>某单位2024年部门决算</w:t></w:r></w:p><w:tbl>'.encode())
            pad = "0" * cell_pad
            for r in range(rows):
                cells = "".join(f"<w:tc><w:p><w:r><w:t>{pad}{r}.{c}</w:t></w:r></w:p></w:tc>" for c in range(cols))
                f.write(f"<w:tr>{cells}</w:tr>".encode())
            f.write(b"</w:tbl></w:body></w:document>")
