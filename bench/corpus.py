"""A corpus of varied specs for benchmarks: every spec holds different text.

Copies of one spec would flatter anything that caches by content (font
subsets, text widths), so each spec here starts from a sample and changes
about a third of the words of every text field, in the sample's language,
with words of varied lengths (some very long), and lists a little longer or
shorter. Ids, references, numbers on scales and dates stay as they are, so
every spec is valid; each set of specs has its own persona files and photos
for its journeys and empathy maps to refer to.

    .venv/bin/python bench/corpus.py OUT [-n 300] [--seed 1]

Every spec written is validated with ``cxviz.load``; an invalid one stops
the run with its diagnostics.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"

WORDS = {
    "en": """a an at by in of on to up we it is or as the and for but not our app bill card call chat code
        data date desk fee file form help home line list mail menu note page plan shop slot step text time user
        wait week agent basket branch budget client credit delay email engineer fibre friend issue letter login
        mobile number online order parcel partner refund report router screen signal status survey ticket
        update voucher account address balance billing contact courier journey payment receipt service weekend
        broadband challenge checkout customer delivery evidence feedback password question schedule
        statement transfer available complaint dashboard frustrated reference registered reminder
        subscription technician verification confirmation notification""".split(),
    "id": """di ke ya dan ini itu dari yang atau saat lagi baru cepat kirim harga pasar promo saldo kurir
        ponsel sayur buah ikan toko rumah jalan kerja kode pesan beli bayar antar ambil jadwal gratis murah
        mahal lama segar stok lengkap kantor anak ibu suami malam pagi siang sore akhir pekan minggu bulan
        tunggu keluhan layanan belanja gudang paket pesanan tagihan potongan diskon tombol halaman daftar
        pelanggan pengiriman pembayaran aplikasi keranjang dompet digital notifikasi terlambat
        membandingkan mengulang memesan menerima menunggu mengganti pengembalian konfirmasi
        persetujuan kesegaran perjalanan pertimbangan""".split(),
    "ar": """في من إلى على عن مع ثم قد لا هل كل بعد قبل حتى يوم شهر وقت رقم رمز دفع بنك فرع هاتف رسالة خطأ
        طلب حساب بطاقة صورة هوية رسوم راتب مبلغ تحويل عميل موظف خدمة دعم موقع نموذج شاشة زر إشعار صديق
        أسرة سريع بطيء واضح جديد مجاني شهري يومي ينتظر يتصل يرسل يقارن يفتح يدفع يحوّل يختار يطلب
        الحساب البنك العميل التطبيق الهاتف البطاقة التحويل الرسوم الطلب الموافقة الهوية الرسالة
        الانتظار الخدمة المستفيد المبلغ الإنترنت التحقق الاتصال الموظفين المعاملات الإشعارات
        الإلكتروني الشخصية التقييمات المستندات المصرفي""".split(),
}

# Long words (and the long tokens real specs hold: compound names, addresses) test wrapping and cutting.
LONG_WORDS = {
    "en": """telecommunications internationalisation counterintuitively misunderstandings responsibilities
        troubleshooting reconfiguration authentication disproportionately characteristically
        customer-experience-dashboard payment-authorisation-service
        support.example.com/help/articles/broadband-faults""".split(),
    "id": """ketidaknyamanan pertanggungjawaban memperhitungkan keberlangsungan mempertimbangkan
        penyelenggaraan ketidakberhasilan dipertanggungjawabkan memberitahukan
        pemberitahuan-otomatis-pelanggan bantuan.contoh.co.id/pusat-bantuan/pengiriman""".split(),
    "ar": """والاستراتيجيات بالمسؤوليات الاستفسارات والمستندات التكنولوجيا فسيكفيكهم الإلكترونية
        باستخدامها والتحويلات والمعلومات-المصرفية-الشخصية""".split(),
}

#: Values that are ids, references, choices from a fixed list, numbers or dates: never varied.
FIXED = {"kind", "cxviz", "lang", "type", "version", "date", "due", "layout", "direction", "persona", "photo",
         "id", "from", "to", "paths", "lane", "outcome", "scale", "root", "optional", "emotion", "value",
         "tech", "age"}
#: A corpus for figures that mean anything; smaller ones are smoke runs.
MIN_SPECS = 300
#: Lists that may lose or gain an entry: steps, notes, whys. (Stages, nodes, edges, traits keep their count.)
RESIZABLE = {"steps", "touchpoints", "thoughts", "pains", "opportunities", "todo", "evidence", "frontstage",
             "backstage", "support", "says", "thinks", "does", "feels", "sees", "hears", "gains", "goals",
             "frustrations", "motivations", "behaviours", "channels", "brands", "whys", "authors"}
#: Lists whose strings must stay different from each other (a repeat is a warning or an error).
DISTINCT = {"lanes", "poles"} | RESIZABLE

# Persona files first: a partial last set keeps the files its journeys and empathy maps refer to.
ORDER = ["persona-dewi", "persona-maya", "persona-omar",
         "blueprint-telco", "empathy-dewi", "whys-card-block", "userflow-checkout",
         "journey-bank", "empathy-maya", "whys-checkout", "userflow-topup",
         "journey-grocery", "empathy-omar", "whys-delivery", "userflow-transfer"]

_TOKEN = re.compile(r"^(\W*)(.*?)(\W*)$", re.S)
_SPACE = re.compile(r"(\s+)")


@dataclass(frozen=True)
class Entry:
    path: Path
    kind: str
    lang: str
    sample: str


class Varier:
    """Changes text the way one spec differs from another of the same kind."""

    def __init__(self, rng: random.Random, lang: str, share: float = 1 / 3):
        self.rng, self.lang, self.share = rng, lang, share
        self.texts: list[str] = []

    def word(self) -> str:
        pool = LONG_WORDS[self.lang] if self.rng.random() < 0.06 else WORDS[self.lang]
        return self.rng.choice(pool)

    def _replace(self, token: str) -> str:
        lead, core, trail = _TOKEN.match(token).groups()
        if any(c.isdigit() for c in core):  # numbers stay numbers, with other digits
            core = re.sub(r"\d", lambda _: str(self.rng.randrange(10)), core)
        else:
            core = self.word()
        return lead + core + trail

    def text(self, value: str) -> str:
        parts = _SPACE.split(value)
        words = [i for i, part in enumerate(parts) if part and not part.isspace()]
        # floor or ceiling of a third of the words, a third on average even for one-word fields
        for i in self.rng.sample(words, int(len(words) * self.share + self.rng.random())):
            parts[i] = self._replace(parts[i])
        if words and self.rng.random() < 0.1:  # now and then a word more
            i = self.rng.choice(words)
            parts[i] = parts[i] + " " + self.word()
        result = "".join(parts)
        self.texts.append(result)
        return result

    def distinct_texts(self, values: list[str]) -> list[str]:
        """``values`` varied, no two the same (case and spacing ignored, as cxviz compares them)."""
        out, seen = [], set()
        for value in values:
            for attempt in range(50):
                varied = self.text(value) if attempt < 10 else f"{self.text(value)} {self.word()}"
                key = " ".join(varied.casefold().split())
                if key not in seen:
                    break
            else:
                raise RuntimeError(f"could not vary {value!r} into a text of its own")
            seen.add(key)
            out.append(varied)
        return out

    def resize(self, items: list) -> list:
        items = list(items)
        roll = self.rng.random()
        if roll < 0.18 and len(items) > 1:
            del items[self.rng.randrange(len(items))]
        elif roll < 0.36 and items:
            i = self.rng.randrange(len(items))
            items.insert(i + 1, items[i])  # varied below, so the copy gets text of its own
        return items

    def value(self, node, key: str | None = None):
        if isinstance(node, dict):
            return self.mapping(node)
        if isinstance(node, list):
            items = self.resize(node) if key in RESIZABLE else list(node)
            if key in DISTINCT and all(isinstance(i, str) for i in items):
                return self.distinct_texts(items)
            return [self.value(item, key) for item in items]
        if isinstance(node, str) and key not in FIXED:
            return self.text(node)
        return node

    def mapping(self, node: dict) -> dict:
        out = {}
        for key, value in node.items():
            if key == "metrics" and isinstance(value, dict):
                names = self.distinct_texts([str(k) for k in value])
                out[key] = {name: self.value(v) for name, v in zip(names, value.values())}
            elif key == "stages" and isinstance(value, list):
                stages = [self.mapping(stage) for stage in value]
                for stage, name in zip(stages, self.distinct_texts([s["name"] for s in value])):
                    stage["name"] = name
                out[key] = stages
            elif key == "persona" and isinstance(value, dict):
                out[key] = self.mapping(value)
            else:
                out[key] = self.value(value, key)
        return out


def vary_spec(data: dict, varier: Varier, prefix: str) -> dict:
    """A varied copy of a sample's data; persona references point at this set's persona files."""
    lanes = data.get("lanes")
    out = varier.mapping(data)
    if lanes:  # a user flow's lanes are names its steps refer to: renamed alike everywhere
        renamed = dict(zip(lanes, out["lanes"]))
        for node in out["nodes"]:
            if node.get("lane") in renamed:
                node["lane"] = renamed[node["lane"]]
    if isinstance(out.get("persona"), str):
        out["persona"] = prefix + out["persona"]
    return out


def _fingerprint(texts: list[str]) -> str:
    return hashlib.sha256("\0".join(texts).encode("utf-8")).hexdigest()


def generate(folder: Path, count: int, seed: int = 1, validate: bool = True) -> list[Entry]:
    """Write ``count`` varied specs under ``folder`` (one sub-folder per set of samples).

    Fewer than MIN_SPECS is for smoke runs only: callers say so in what they print.
    """
    samples = {name: yaml.safe_load((SAMPLES / f"{name}.yaml").read_text(encoding="utf-8")) for name in ORDER}
    missing = sorted({p.stem for p in SAMPLES.glob("*.yaml")} - set(ORDER))
    if missing:
        raise SystemExit(f"corpus: samples not in the corpus order: {', '.join(missing)}")
    rng = random.Random(seed)
    entries: list[Entry] = []
    seen: set[str] = set()
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(-(-count // len(ORDER))):
        target = folder / f"set{number:03d}"
        target.mkdir()
        shutil.copytree(SAMPLES / "photos", target / "photos")
        prefix = f"s{number:03d}-"
        for name in ORDER[: count - len(entries)]:
            data = samples[name]
            while True:
                varier = Varier(rng, data.get("lang", "en"))
                varied = vary_spec(data, varier, prefix)
                fingerprint = _fingerprint(varier.texts)
                if fingerprint not in seen:
                    seen.add(fingerprint)
                    break
            path = target / f"{prefix}{name}.yaml"
            path.write_text(yaml.safe_dump(varied, allow_unicode=True, sort_keys=False, width=100),
                            encoding="utf-8")
            entries.append(Entry(path, data["kind"], data.get("lang", "en"), name))
    if validate:
        check(entries)
    return entries


def check(entries: list[Entry]) -> None:
    """Load every spec with cxviz; stop with the diagnostics of any that is invalid.

    Warnings are reported, not fatal: a new check in cxviz must not stop a benchmark.
    """
    import cxviz

    failures, warned = [], []
    for entry in entries:
        try:
            spec = cxviz.load(entry.path)
        except cxviz.SpecError as exc:
            failures.append(f"{entry.path}:\n" + "\n".join(f"  {d}" for d in exc.diagnostics))
            continue
        if spec.kind.name != entry.kind:
            failures.append(f"{entry.path}: loaded as {spec.kind.name}, written as {entry.kind}")
        elif spec.warnings:
            warned.append(f"{entry.path}: {spec.warnings[0]}")
    if failures:
        raise SystemExit(f"corpus: {len(failures)} of {len(entries)} generated specs are invalid:\n"
                         + "\n".join(failures[:20]))
    if warned:
        print(f"corpus: {len(warned)} of {len(entries)} generated specs have warnings, e.g. {warned[0]}",
              file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write (must not exist yet)")
    parser.add_argument("-n", "--specs", type=int, default=MIN_SPECS,
                        help=f"number of specs (default and minimum {MIN_SPECS})")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.out.exists():
        parser.error(f"{args.out} already exists")
    if args.specs < MIN_SPECS:
        parser.error(f"a corpus has at least {MIN_SPECS} specs")
    sys.path.insert(0, str(ROOT))
    entries = generate(args.out, args.specs, args.seed)
    kinds: dict[str, int] = {}
    for entry in entries:
        kinds[entry.kind] = kinds.get(entry.kind, 0) + 1
    print(f"{len(entries)} valid specs in {args.out}: "
          + ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items())))


if __name__ == "__main__":
    main()
