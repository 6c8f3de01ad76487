"""Offline translation with Argos Translate / OPUS-MT models, run directly on CTranslate2.

Each language package is a folder with `metadata.json` (`from_code`, `to_code`), `model/`
(a CTranslate2 model) and `sentencepiece.model`, as Argos Translate installs them. The
argostranslate package itself is not used: it pulls in torch and CUDA for nothing here.
Pairs without a direct package go through English when both halves are installed.
"""

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from ..errors import EngineRefused, UnsupportedPair, language_name
from .base import Engine

PIVOT = "en"


@dataclass(frozen=True)
class _Package:
    source: str
    target: str
    path: Path


class _LoadedModel:
    def __init__(self, path: Path):
        import ctranslate2
        import sentencepiece

        self.translator = ctranslate2.Translator(str(path / "model"), device="cpu")
        self.tokenizer = sentencepiece.SentencePieceProcessor(
            model_file=str(path / "sentencepiece.model")
        )

    def translate(self, texts: list[str], beam_size: int) -> list[str]:
        tokens = self.tokenizer.encode(texts, out_type=str)
        longest = max((len(sentence) for sentence in tokens), default=0)
        results = self.translator.translate_batch(
            tokens, beam_size=beam_size, max_decoding_length=min(1024, 2 * longest + 16)
        )
        return [self.tokenizer.decode(result.hypotheses[0]) for result in results]


@lru_cache(maxsize=8)
def _load(path: Path) -> _LoadedModel:
    # Loading takes seconds and hundreds of MB; a worker process keeps what it loaded.
    return _LoadedModel(path)


class ArgosEngine(Engine):
    name = "argos"
    label = _("Offline translation")
    # The models are trained on single sentences (Argos Translate splits with stanza first);
    # longer inputs come out shortened or repeated.
    by_sentence = True
    max_text_chars = 400
    max_request_chars = 4000
    max_request_texts = 32

    def __init__(self, packages_dir: str | Path, *, beam_size: int = 2):
        self.packages_dir = Path(packages_dir)
        self.beam_size = beam_size
        self._packages: dict[tuple[str, str], _Package] | None = None

    def packages(self) -> dict[tuple[str, str], _Package]:
        if self._packages is None:
            self._packages = {}
            folders = sorted(self.packages_dir.iterdir()) if self.packages_dir.is_dir() else []
            for folder in folders:
                package = _read_package(folder)
                if package is not None:
                    self._packages[(package.source, package.target)] = package
        return self._packages

    def supported_pairs(self) -> frozenset[tuple[str, str]]:
        direct = set(self.packages())
        through_pivot = {
            (source, target)
            for source, middle in direct
            for middle_again, target in direct
            if middle == PIVOT == middle_again and source != target
        }
        return frozenset(direct | through_pivot)

    def translate_batch(self, texts: list[str], *, source: str, target: str) -> list[str]:
        route = (
            [(source, target)]
            if (source, target) in self.packages()
            else [(source, PIVOT), (PIVOT, target)]
        )
        for step in route:
            texts = _load(self.packages()[step].path).translate(texts, self.beam_size)
        return texts

    def unsupported(self, source: str, target: str) -> UnsupportedPair:
        return UnsupportedPair(
            _(
                "No offline translation package from %(source)s into %(target)s is installed "
                "in %(folder)s. Install one (a folder with metadata.json, model/ and "
                "sentencepiece.model), or translate by hand."
            )
            % {
                "source": language_name(source),
                "target": language_name(target),
                "folder": self.packages_dir,
            },
            code="language_package_missing",
        )


def _read_package(folder: Path) -> _Package | None:
    metadata_file = folder / "metadata.json"
    if not metadata_file.is_file():
        return None  # not a package: a download in progress, a README
    try:
        metadata = json.loads(metadata_file.read_text(encoding="utf-8"))
        source, target = str(metadata["from_code"]), str(metadata["to_code"])
    except (ValueError, KeyError, TypeError) as error:
        raise _broken(folder, "metadata.json") from error
    for required in ("model/model.bin", "sentencepiece.model"):
        if not (folder / required).is_file():
            raise _broken(folder, required)
    return _Package(source=source, target=target, path=folder)


def _broken(folder: Path, part: str) -> EngineRefused:
    return EngineRefused(
        _(
            "The offline translation package in %(folder)s is broken: %(part)s is missing or "
            "unreadable. An administrator must reinstall it."
        )
        % {"folder": folder, "part": part},
        code="language_package_broken",
    )
