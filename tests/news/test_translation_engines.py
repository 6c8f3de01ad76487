"""Each engine against a local server speaking its API, or (offline) a tiny real model."""

import json
from datetime import timedelta
from email.utils import format_datetime

import numpy as np
import pytest
from django.utils import timezone

from news.translation.engines import get_engine
from news.translation.engines.argos import ArgosEngine
from news.translation.engines.base import parse_retry_after
from news.translation.engines.deepl_engine import DeepLEngine
from news.translation.engines.libretranslate import LibreTranslateEngine
from news.translation.errors import (
    EngineBusy,
    EngineRefused,
    EngineUnavailable,
    MalformedResponse,
    UnsupportedPair,
)

from .translation_fakes import DeepLFake, LibreTranslateFake, Reply


@pytest.fixture
def libretranslate():
    server = LibreTranslateFake()
    yield server
    server.close()


@pytest.fixture
def deepl_server():
    server = DeepLFake()
    yield server
    server.close()


def libre(server, **kwargs) -> LibreTranslateEngine:
    kwargs.setdefault("api_key", "secret")
    kwargs.setdefault("timeout", 2)
    return LibreTranslateEngine(server.url, **kwargs)


# --- LibreTranslate ------------------------------------------------------------------------


def test_libretranslate_reads_pairs_from_languages_and_translates_a_batch(libretranslate):
    with libre(libretranslate) as engine:
        assert engine.supports("ru", "kk") and not engine.supports("ru", "de")
        result = engine.translate(["Открыт новый мост.", "Второй текст."], source="ru", target="kk")

    assert result == ["kk: Открыт новый мост.", "kk: Второй текст."]
    [sent] = libretranslate.requests_to("/translate")
    assert sent.body == {
        "q": ["Открыт новый мост.", "Второй текст."],
        "source": "ru",
        "target": "kk",
        "format": "text",
        "api_key": "secret",
    }


def test_libretranslate_keeps_terms_with_placeholders(libretranslate):
    with libre(libretranslate) as engine:
        [result] = engine.translate(
            ["Аким города встретился с депутатами Мажилиса."],
            source="ru",
            target="en",
            terms={"аким": "akim", "Мажилис": "Mazhilis", "сенат": "Senate"},
        )

    [sent] = libretranslate.requests_to("/translate")
    assert sent.body["q"] == ["[T0] города встретился с депутатами Мажилиса."]
    assert result == "en: Akim города встретился с депутатами Мажилиса."


def test_libretranslate_splits_a_long_text_into_requests_within_its_char_limit(libretranslate):
    sentences = [f"Предложение номер {n} о работе акимата." for n in range(40)]
    text = " ".join(sentences)
    with libre(libretranslate, char_limit=300) as engine:
        [result] = engine.translate([text], source="ru", target="en")

    requests = libretranslate.requests_to("/translate")
    assert len(requests) > 1
    assert all(sum(len(q) for q in request.body["q"]) <= 300 for request in requests)
    sent = " ".join(q for request in requests for q in request.body["q"])
    assert sent == text
    assert result.startswith("en: Предложение номер 0") and "Предложение номер 39" in result


def test_libretranslate_busy_says_when_to_retry_in_seconds(libretranslate):
    libretranslate.fail_next(Reply(429, {"error": "Slowdown"}, {"Retry-After": "7"}))
    with libre(libretranslate) as engine, pytest.raises(EngineBusy) as raised:
        engine.supported_pairs()
    assert (raised.value.code, raised.value.retry_after, raised.value.retryable) == (
        "engine_busy",
        7.0,
        True,
    )


def test_libretranslate_busy_with_an_http_date_retry_after(libretranslate):
    when = format_datetime(timezone.now() + timedelta(seconds=120), usegmt=True)
    libretranslate.fail_next(Reply(429, {"error": "Slowdown"}, {"Retry-After": when}))
    with libre(libretranslate) as engine, pytest.raises(EngineBusy) as raised:
        engine.supported_pairs()
    assert 100 < raised.value.retry_after <= 120


@pytest.mark.parametrize(
    ("header", "seconds"), [("7", 7.0), (" 30 ", 30.0), ("²", None), ("٣", None), ("soon", None)]
)
def test_a_retry_after_header_is_read_as_ascii_seconds_or_ignored(header, seconds):
    assert parse_retry_after(header) == seconds


def test_libretranslate_server_error_is_retryable(libretranslate):
    libretranslate.fail_next(Reply(503, {"error": "down"}))
    with libre(libretranslate) as engine, pytest.raises(EngineUnavailable) as raised:
        engine.supported_pairs()
    assert raised.value.code == "engine_error" and raised.value.retryable
    assert "503" in raised.value.message


def test_libretranslate_timeout_is_retryable(libretranslate):
    libretranslate.fail_next(Reply(200, [], delay=1.5))
    with libre(libretranslate, timeout=0.3) as engine, pytest.raises(EngineUnavailable) as raised:
        engine.supported_pairs()
    assert raised.value.code == "engine_timeout"


def test_libretranslate_unreachable_is_retryable():
    engine = LibreTranslateEngine("http://127.0.0.1:9", timeout=1)
    with engine, pytest.raises(EngineUnavailable) as raised:
        engine.supported_pairs()
    assert raised.value.code == "engine_unreachable"


@pytest.mark.parametrize(
    "reply",
    [
        Reply(200, b"<html>proxy error page</html>"),
        Reply(200, {"translatedText": "one string for two texts"}),
        Reply(200, {"translatedText": ["only one"]}),
        Reply(200, {"error": None}),
    ],
)
def test_libretranslate_malformed_translation_is_refused_not_saved(libretranslate, reply):
    with libre(libretranslate) as engine:
        engine.supported_pairs()
        libretranslate.fail_next(reply)
        with pytest.raises(MalformedResponse) as raised:
            engine.translate(["Один.", "Два."], source="ru", target="en")
    assert raised.value.code == "malformed_response" and not raised.value.retryable


def test_libretranslate_malformed_languages(libretranslate):
    libretranslate.fail_next(Reply(200, [{"name": "Russian"}]))
    with libre(libretranslate) as engine, pytest.raises(MalformedResponse):
        engine.supported_pairs()


def test_libretranslate_wrong_api_key_needs_an_administrator(libretranslate):
    with libre(libretranslate, api_key="wrong") as engine, pytest.raises(EngineRefused) as raised:
        engine.translate(["Текст."], source="ru", target="en")
    assert raised.value.code == "engine_auth" and not raised.value.retryable


def test_libretranslate_unsupported_pair_sends_nothing_to_translate():
    server = LibreTranslateFake(languages=("ru", "en"))
    try:
        with libre(server) as engine, pytest.raises(UnsupportedPair) as raised:
            engine.translate(["Текст."], source="ru", target="kk")
    finally:
        server.close()
    assert raised.value.code == "unsupported_pair"
    assert "Russian" in raised.value.message and "Kazakh" in raised.value.message
    assert server.requests_to("/translate") == []


# --- DeepL -----------------------------------------------------------------------------


def deepl_engine(server, **kwargs) -> DeepLEngine:
    return DeepLEngine("deepl-key:fx", server_url=server.url, timeout=kwargs.get("timeout", 2))


def test_deepl_supports_what_its_languages_list(deepl_server):
    with deepl_engine(deepl_server) as engine:
        assert engine.supported_pairs() == {("ru", "en"), ("en", "ru")}


def test_deepl_translates_into_british_english(deepl_server):
    with deepl_engine(deepl_server) as engine:
        result = engine.translate(["Открыт мост.", "Второй."], source="ru", target="en")

    assert result == ["en-gb: Открыт мост.", "en-gb: Второй."]
    [sent] = deepl_server.requests_to("/v2/translate")
    assert (sent.body["source_lang"], sent.body["target_lang"]) == ("RU", "EN-GB")
    assert "glossary_id" not in sent.body


def test_deepl_uses_a_glossary_of_the_terms_in_the_text_and_deletes_it(deepl_server):
    with deepl_engine(deepl_server) as engine:
        [result] = engine.translate(
            ["Аким встретился с депутатами."],
            source="ru",
            target="en",
            terms={"Аким": "Akim", "Мажилис": "Mazhilis"},
        )

    [created] = deepl_server.requests_to("/v2/glossaries")
    assert created.body["entries"] == "Аким\tAkim"  # only the terms the text uses
    [sent] = deepl_server.requests_to("/v2/translate")
    assert sent.body["glossary_id"] == "g1"
    assert result == "en-gb: Akim встретился с депутатами."
    assert deepl_server.glossaries == {}  # deleted after use


def test_deepl_without_glossary_support_for_the_pair_uses_placeholders(deepl_server):
    with deepl_engine(deepl_server) as engine:
        [result] = engine.translate(
            ["Akim met the press."], source="en", target="ru", terms={"akim": "аким"}
        )
    assert deepl_server.requests_to("/v2/glossaries") == []
    assert deepl_server.requests_to("/v2/translate")[0].body["text"] == ["[T0] met the press."]
    assert result == "ru: Аким met the press."


@pytest.mark.parametrize(
    ("reply", "error", "code"),
    [
        (Reply(429, {"message": "Too many requests"}), EngineBusy, "engine_busy"),
        (Reply(500, {"message": "Internal"}), EngineUnavailable, "engine_error"),
        (Reply(503, {"message": "Unavailable"}), EngineUnavailable, "engine_error"),
        (Reply(456, {"message": "Quota exceeded"}), EngineRefused, "quota_exceeded"),
        (Reply(400, {"message": "Bad request"}), EngineRefused, "engine_rejected"),
        (
            Reply(200, {"translations": [{"text": "no billed characters"}]}),
            MalformedResponse,
            "malformed_response",
        ),
        (Reply(200, {"translations": []}), MalformedResponse, "malformed_response"),
    ],
)
def test_deepl_failures_have_codes_and_retryability(deepl_server, reply, error, code):
    with deepl_engine(deepl_server) as engine:
        engine.supported_pairs()
        deepl_server.fail_next(reply)
        with pytest.raises(error) as raised:
            engine.translate(["Текст."], source="ru", target="en")
    assert raised.value.code == code
    assert raised.value.retryable == (error in (EngineBusy, EngineUnavailable))
    assert len(deepl_server.requests_to("/v2/translate")) == 1  # the client did not retry


def test_deepl_wrong_key_needs_an_administrator(deepl_server):
    engine = DeepLEngine("wrong", server_url=deepl_server.url, timeout=2)
    with engine, pytest.raises(EngineRefused) as raised:
        engine.supported_pairs()
    assert raised.value.code == "engine_auth"


def test_deepl_timeout_is_retryable(deepl_server):
    deepl_server.fail_next(Reply(200, [], delay=1.5))
    with deepl_engine(deepl_server, timeout=0.3) as engine, pytest.raises(EngineUnavailable) as e:
        engine.supported_pairs()
    assert e.value.code == "engine_unreachable"


def test_deepl_unsupported_pair(deepl_server):
    with deepl_engine(deepl_server) as engine, pytest.raises(UnsupportedPair):
        engine.translate(["Мәтін."], source="kk", target="en")
    assert deepl_server.requests_to("/v2/translate") == []


# --- offline (CTranslate2 + SentencePiece) ----------------------------------------------

D_MODEL, FFN = 8, 16
TRAINING_SENTENCES = [
    "Аким области открыл новую школу.",
    "The akim opened a new school in the region.",
    "Мажилис принял закон о бюджете.",
    "Облыс әкімі жаңа мектеп ашты.",
]


def _variable_shape(name: str, vocabulary_size: int) -> tuple[int, ...]:
    if name.endswith(("embeddings/weight", "embeddings_0/weight", "projection/weight")):
        return (vocabulary_size, D_MODEL)
    if name.endswith(("beta", "gamma")):
        return (D_MODEL,)
    if "ffn/linear_0" in name:
        return (FFN, D_MODEL)
    if "ffn/linear_1" in name:
        return (D_MODEL, FFN)
    if "self_attention/linear_0" in name:
        return (3 * D_MODEL, D_MODEL)  # query, key and value together
    if "/attention/linear_1" in name:
        return (2 * D_MODEL, D_MODEL)  # key and value of the encoder output
    return (D_MODEL, D_MODEL)


def make_package(folder, source: str, target: str, seed: int) -> None:
    """A real Argos-style package: a tiny random Transformer and a trained SentencePiece."""
    import ctranslate2
    import sentencepiece
    from ctranslate2.specs import TransformerSpec

    folder.mkdir(parents=True)
    corpus = folder / "corpus.txt"
    corpus.write_text("\n".join(TRAINING_SENTENCES * 10), encoding="utf-8")
    sentencepiece.SentencePieceTrainer.train(
        input=str(corpus),
        model_prefix=str(folder / "sentencepiece"),
        vocab_size=60,
        hard_vocab_limit=False,
        minloglevel=2,
    )
    (folder / "sentencepiece.vocab").unlink()
    corpus.unlink()
    tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(folder / "sentencepiece.model"))
    vocabulary = [tokenizer.id_to_piece(i) for i in range(tokenizer.get_piece_size())]

    class TinyConverter(ctranslate2.converters.Converter):
        def _load(self):
            spec = TransformerSpec.from_config((1, 1), 2)
            random = np.random.default_rng(seed)
            for name, value in spec.variables(ordered=True):
                if value is not None:
                    continue
                scope, attribute = name.rsplit("/", 1)
                layer = spec
                for part in scope.split("/"):
                    base, _, index = part.rpartition("_")
                    if index.isdigit() and hasattr(layer, base):
                        layer = getattr(layer, base)[int(index)]  # "layer_0" is layer[0]
                    else:
                        layer = getattr(layer, part)
                shape = _variable_shape(name, len(vocabulary))
                weights = (
                    np.ones(shape, np.float32)
                    if attribute == "gamma"
                    else random.normal(0, 0.5, shape).astype(np.float32)
                )
                setattr(layer, attribute, weights)
            spec.register_source_vocabulary(vocabulary)
            spec.register_target_vocabulary(vocabulary)
            return spec

    TinyConverter().convert(str(folder / "model"))
    (folder / "metadata.json").write_text(
        json.dumps({"package_version": "1.0", "from_code": source, "to_code": target}),
        encoding="utf-8",
    )


@pytest.fixture(scope="module")
def packages_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("argos-packages")
    make_package(root / "translate-ru_en-1_0", "ru", "en", seed=1)
    make_package(root / "translate-en_kk-1_0", "en", "kk", seed=2)
    (root / "README.txt").write_text("not a package")
    return root


def test_offline_engine_finds_installed_packages_and_pivots_through_english(packages_dir):
    engine = ArgosEngine(packages_dir)
    assert engine.supported_pairs() == {("ru", "en"), ("en", "kk"), ("ru", "kk")}


def test_offline_engine_translates_through_the_real_model(packages_dir):
    engine = ArgosEngine(packages_dir)
    texts = ["Аким области открыл новую школу.", "Мажилис принял закон."]

    first = engine.translate(texts, source="ru", target="en")
    again = engine.translate(texts, source="ru", target="en")
    pivoted = engine.translate(texts, source="ru", target="kk")

    # Random weights translate into nonsense, but deterministically and per text.
    assert len(first) == 2 and all(isinstance(text, str) for text in first)
    assert first == again
    assert first != pivoted


def test_offline_engine_translates_sentence_by_sentence(packages_dir):
    engine = ArgosEngine(packages_dir)
    first, second = engine.translate(
        ["Аким открыл школу.", "Мажилис принял закон."], source="ru", target="en"
    )
    [paragraph] = engine.translate(
        ["Аким открыл школу. Мажилис принял закон."], source="ru", target="en"
    )
    assert paragraph == f"{first} {second}"


def test_offline_engine_says_which_package_is_missing(packages_dir):
    engine = ArgosEngine(packages_dir)
    with pytest.raises(UnsupportedPair) as raised:
        engine.translate(["Мәтін."], source="kk", target="ru")
    assert raised.value.code == "language_package_missing"
    assert "Kazakh" in raised.value.message and "Russian" in raised.value.message
    assert str(packages_dir) in raised.value.message


def test_offline_engine_reports_a_broken_package(tmp_path):
    broken = tmp_path / "translate-ru_kk"
    broken.mkdir()
    (broken / "metadata.json").write_text('{"from_code": "ru", "to_code": "kk"}')
    with pytest.raises(EngineRefused) as raised:
        ArgosEngine(tmp_path).supported_pairs()
    assert raised.value.code == "language_package_broken"
    assert "model/model.bin" in raised.value.message


def test_offline_engine_without_its_folder_supports_nothing(tmp_path):
    assert ArgosEngine(tmp_path / "absent").supported_pairs() == frozenset()


# --- choosing ------------------------------------------------------------------------------


def test_no_engine_configured(settings):
    settings.PRESSROOM_TRANSLATION_ENGINE = ""
    assert get_engine() is None


def test_settings_choose_the_engine(settings, packages_dir, libretranslate):
    settings.PRESSROOM_TRANSLATION_ENGINE = "argos"
    settings.PRESSROOM_ARGOS_PACKAGES_DIR = str(packages_dir)
    assert isinstance(get_engine(), ArgosEngine)
    settings.PRESSROOM_TRANSLATION_ENGINE = "libretranslate"
    settings.PRESSROOM_LIBRETRANSLATE_URL = libretranslate.url
    settings.PRESSROOM_LIBRETRANSLATE_API_KEY = "secret"
    with get_engine() as engine:
        assert isinstance(engine, LibreTranslateEngine)
        assert engine.translate(["Да."], source="ru", target="en") == ["en: Да."]
    settings.PRESSROOM_TRANSLATION_ENGINE = "deepl"
    settings.PRESSROOM_DEEPL_AUTH_KEY = "k"
    with get_engine() as engine:
        assert isinstance(engine, DeepLEngine)
