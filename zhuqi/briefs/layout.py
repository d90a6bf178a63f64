"""The official document layout of GB/T 9704-2012 (党政机关公文格式), for any Word document the platform writes:
A4, margins 37/35/28/26 mm, the title in 方正小标宋简体 二号 (22 pt), the body in 仿宋_GB2312 三号 (16 pt) on a grid of
22 lines of 28 characters, page numbers in 4号 宋体 "— 1 —" on the outer side (odd pages right, even pages left,
one character in from the edge). The fonts are named in the document's own attributes (w:eastAsia as well as
w:ascii/w:hAnsi), so an office's Word that has them renders the page as the standard draws it."""

from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"  # 一级标题 "一、"
SUBHEADING_FONT = "楷体_GB2312"  # 二级标题 "（一）"
PAGE_NUMBER_FONT = "宋体"
TITLE_SIZE = Pt(22)  # 二号
BODY_SIZE = Pt(16)  # 三号
PAGE_NUMBER_SIZE = Pt(14)  # 四号
MARGINS = {"top": Mm(37), "bottom": Mm(35), "left": Mm(28), "right": Mm(26)}
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
# the type area's height (297 − 37 − 35 = 225 mm = 637.8 pt) over 22 lines: 28.95 pt; Word's grid in twips
LINE_PITCH_TWIPS = 579
LINE_SPACING = Pt(28.95)
# the type area's width (210 − 28 − 26 = 156 mm = 442.2 pt) over 28 characters: 15.79 pt per character, i.e. 0.21 pt
# less than the 16 pt glyph; Word counts that difference in 1/4096 pt
CHAR_SPACE = -849


def name_fonts(rpr_owner, face: str, size=None, *, bold: bool | None = None) -> None:
    """Name a font for every script of a run or a style: Latin, complex and East Asian."""
    font = rpr_owner.font
    font.name = face
    if size is not None:
        font.size = size
    if bold is not None:
        font.bold = bold
    rpr = rpr_owner.element.get_or_add_rPr() if hasattr(rpr_owner, "element") else rpr_owner._element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), face)


def _fixed_lines(paragraph_format) -> None:
    paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph_format.line_spacing = LINE_SPACING
    paragraph_format.space_before = Pt(0)
    paragraph_format.space_after = Pt(0)


def _grid(section) -> None:
    sect = section._sectPr
    for old in sect.findall(qn("w:docGrid")):
        sect.remove(old)
    grid = OxmlElement("w:docGrid")
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))
    sect.append(grid)


def _page_field(paragraph) -> None:
    """— PAGE — in 4号 宋体: the dashes around Word's PAGE field."""

    def run(text=None):
        r = paragraph.add_run(text)
        name_fonts(r, PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
        return r

    run("— ")
    begin, instr, end = OxmlElement("w:fldChar"), OxmlElement("w:instrText"), OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instr):
        run()._r.append(element)
    number = run("1")
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    number._r.insert(number._r.index(number._r.find(qn("w:t"))), separate)
    run()._r.append(end)
    run(" —")


def _page_numbers(document, section) -> None:
    document.settings.odd_and_even_pages_header_footer = True
    for footer, side in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.alignment = side
        # 单页码居右空一字，双页码居左空一字
        if side == WD_ALIGN_PARAGRAPH.RIGHT:
            paragraph.paragraph_format.right_indent = PAGE_NUMBER_SIZE
        else:
            paragraph.paragraph_format.left_indent = PAGE_NUMBER_SIZE
        _page_field(paragraph)
    section.footer_distance = Mm(28) - Pt(14)  # 页码位于版心下边缘之下 7 mm: the footer sits in the bottom margin


def official_document():
    """A blank document in the official layout, its styles set: Normal (the body), 公文标题, 一级标题, 二级标题."""
    from docx import Document

    document = Document()
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = MARGINS["top"], MARGINS["bottom"]
    section.left_margin, section.right_margin = MARGINS["left"], MARGINS["right"]
    _grid(section)
    styles = document.styles
    normal = styles["Normal"]
    name_fonts(normal, BODY_FONT, BODY_SIZE)
    _fixed_lines(normal.paragraph_format)
    normal.paragraph_format.first_line_indent = BODY_SIZE * 2
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    from docx.enum.style import WD_STYLE_TYPE

    for name, face, size, indent, align in (
        ("公文标题", TITLE_FONT, TITLE_SIZE, 0, WD_ALIGN_PARAGRAPH.CENTER),
        ("一级标题", HEADING_FONT, BODY_SIZE, 2, None),
        ("二级标题", SUBHEADING_FONT, BODY_SIZE, 2, None),
        ("署名", BODY_FONT, BODY_SIZE, 0, WD_ALIGN_PARAGRAPH.RIGHT),
        ("图注", BODY_FONT, Pt(14), 0, WD_ALIGN_PARAGRAPH.CENTER),
        ("表格", BODY_FONT, Pt(12), 0, WD_ALIGN_PARAGRAPH.CENTER),
    ):
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        name_fonts(style, face, size)
        style.paragraph_format.first_line_indent = BODY_SIZE * indent if indent else Pt(0)
        if align is not None:
            style.paragraph_format.alignment = align
    # the title's lines are as tall as its 22 pt glyphs need, not the body grid's
    title = styles["公文标题"].paragraph_format
    title.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    title.line_spacing = Pt(35)
    title.space_after = LINE_SPACING
    for name in ("表格",):
        styles[name].paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    _page_numbers(document, section)
    return document


def paragraph(document, text: str = "", style: str | None = None):
    p = document.add_paragraph(text, style=style)
    return p
