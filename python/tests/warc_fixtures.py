"""Small WARC/WET archives written for the tests (the texts are our own
writing, not from any corpus), in the layout of Common Crawl: one gzip
member per record."""

from __future__ import annotations

import gzip
from pathlib import Path

DATE = "2015-08-02T08:00:00Z"

AIRPORT = (
    "أعلنت هيئة الطيران المدني اليوم افتتاح صالة جديدة في مطار الملك عبدالعزيز الدولي بجدة "
    "بطاقة استيعابية تبلغ ثلاثين مليون مسافر سنويا، وقال رئيس الهيئة في مؤتمر صحفي إن المشروع "
    "يأتي ضمن خطة شاملة لتطوير المطارات في المملكة، وإن الصالة ستخدم الرحلات الدولية والداخلية "
    "بدءا من الشهر المقبل بعد انتهاء مرحلة التشغيل التجريبي التي شاركت فيها شركات طيران وطنية وأجنبية."
)
SCHOOLS = (
    "حددت وزارة التعليم موعد بدء العام الدراسي الجديد في جميع مناطق المملكة، وأوضح المتحدث الرسمي "
    "باسم الوزارة أن الطلاب والطالبات سيعودون إلى مقاعد الدراسة في الثالث والعشرين من أغسطس، وأن "
    "الوزارة أنهت استعداداتها لاستقبالهم بتجهيز المباني المدرسية وتوفير الكتب والمقررات في وقت مبكر."
)
FOOTBALL = (
    "فاز فريق الهلال على ضيفه النصر بهدفين مقابل هدف في المباراة التي جمعتهما مساء أمس على ملعب "
    "الملك فهد الدولي بالرياض ضمن الجولة الخامسة من الدوري، وسجل أهداف الهلال لاعبا الوسط في الشوط "
    "الثاني بينما أحرز النصر هدفه الوحيد من ركلة جزاء في الدقائق الأخيرة من اللقاء."
)
RAIN = (
    "توقعت الرئاسة العامة للأرصاد وحماية البيئة هطول أمطار رعدية متوسطة إلى غزيرة على مرتفعات "
    "منطقتي جازان وعسير خلال الأيام الثلاثة المقبلة، ودعت المواطنين والمقيمين إلى الابتعاد عن "
    "مجاري السيول والأودية وعدم المجازفة بعبورها، مؤكدة أن فرق الدفاع المدني في حالة استعداد تام."
)


def record(warc_type: str, headers: dict, block: bytes) -> bytes:
    head = f"WARC/1.0\r\nWARC-Type: {warc_type}\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    head += f"Content-Length: {len(block)}\r\n\r\n"
    return head.encode("utf-8") + block + b"\r\n\r\n"


def conversion(uri: str, text: str, date: str = DATE) -> bytes:
    """A WET `conversion` record: the text dump of a page."""
    return record("conversion", {"WARC-Target-URI": uri, "WARC-Date": date, "Content-Type": "text/plain"},
                  text.encode("utf-8"))


def response(uri: str, status: int, content_type: str, payload: bytes) -> bytes:
    """A WARC `response` record holding an HTTP response."""
    http = f"HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\n\r\n".encode("ascii") + payload
    return record("response", {"WARC-Target-URI": uri, "WARC-Date": DATE,
                               "Content-Type": "application/http; msgtype=response"}, http)


def html_page(title: str, published: str, paragraphs: list[str]) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<html><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta property="article:published_time" content="{published}"></head>'
        f"<body><nav>الرئيسية | محليات | رياضة</nav><article><h1>{title}</h1>{body}</article>"
        "<footer>جميع الحقوق محفوظة</footer></body></html>"
    ).encode("utf-8")


def write_members(path: Path, records: list[bytes]) -> Path:
    """One gzip member per record, as Common Crawl writes WARC and WET."""
    path.write_bytes(b"".join(gzip.compress(r, mtime=0) for r in records))
    return path


def wet_archive(path: Path) -> Path:
    """Text dumps: a wire story and its copies, unrelated stories, an empty record."""
    return write_members(path, [
        record("warcinfo", {"Content-Type": "application/warc-fields"}, b"software: rasd tests\r\n"),
        conversion("https://spa.example/airport", "افتتاح صالة جديدة في مطار جدة\n\n" + AIRPORT),
        conversion("https://okaz.example/airport", "صالة جديدة بمطار الملك عبدالعزيز\n\n" + AIRPORT + " (واس)"),
        conversion("https://spa.example/schools", "موعد العام الدراسي\n\n" + SCHOOLS),
        conversion("https://riyadh.example/sport", "الهلال يفوز على النصر\n\n" + FOOTBALL),
        conversion("https://madina.example/sport", "الهلال يتغلب على النصر\n\n" + FOOTBALL.replace("الهلال", "الهِلال")),
        conversion("https://empty.example/1", "   "),
    ])


def warc_archive(path: Path) -> Path:
    """HTML responses, with records the reader passes over (a request, a
    404, an image) and copies of the WET file's stories from other sites."""
    return write_members(path, [
        record("request", {"WARC-Target-URI": "https://sabq.example/rain"}, b"GET /rain HTTP/1.1\r\n\r\n"),
        response("https://sabq.example/rain", 200, "text/html; charset=utf-8",
                 html_page("أمطار رعدية على جازان وعسير", "2015-08-03T10:00:00+03:00", [RAIN])),
        response("https://sabq.example/missing", 404, "text/html", b"<html><body>not found</body></html>"),
        response("https://sabq.example/logo.png", 200, "image/png", b"\x89PNG\r\n\x1a\n\x00\x00"),
        response("https://alwatan.example/airport", 200, "text/html; charset=utf-8",
                 html_page("مطار جدة يفتتح صالة جديدة", "2015-08-01T07:00:00+03:00", [AIRPORT])),
        response("https://alwatan.example/rain", 200, "text/html; charset=utf-8",
                 html_page("الأرصاد: أمطار على الجنوب", "2015-08-03T12:00:00+03:00", [RAIN, "وتستمر الحالة حتى نهاية الأسبوع."])),
    ])


def truncated_archive(path: Path, records: int = 40) -> Path:
    """A WET file of `records` short dumps, cut in the middle of its last
    gzip member. (rasd's reader sniffs the first kilobytes of a file before
    it reads records, so an archive truncated within those is one error
    for the whole file; 40 records are well past that.)"""
    members = [gzip.compress(conversion(f"https://cut.example/{i}", f"العودة إلى المدارس {i}\n\n{SCHOOLS} رقم {i}."), mtime=0)
               for i in range(1, records + 1)]
    path.write_bytes(b"".join(members[:-1]) + members[-1][: len(members[-1]) // 2])
    return path
