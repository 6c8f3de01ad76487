from news.slugs import transliterate_slug, unique_slug, unique_slugs


def test_transliterates_kazakh_and_russian_titles():
    assert transliterate_slug("«Слышащее государство» в Костанае") == (
        "slyshashchee-gosudarstvo-v-kostanae"
    )
    assert transliterate_slug("Әкімдік жаңа мектеп ашты") == "akimdik-zhana-mektep-ashty"
    assert transliterate_slug("!!!") == "article"


def test_unique_slug_counts_up_past_taken_ones():
    taken = {"bridge", "bridge-2"}
    assert unique_slug("Bridge", taken.__contains__) == "bridge-3"


def test_unique_slugs_are_unique_among_themselves_and_against_the_database():
    in_database = {"bridge", "parks-2"}
    lookups = []

    def taken_among(candidates):
        lookups.append(set(candidates))
        return candidates & in_database

    slugs = unique_slugs(["Bridge", "Parks", "Parks", "Parks", "Roads"], taken_among)
    assert slugs == ["bridge-2", "parks", "parks-3", "parks-4", "roads"]
    # One lookup for all titles, then one for each suffixed candidate it had to try.
    assert lookups[0] == {"bridge", "parks", "roads"}
    assert len(lookups) == 1 + len({"bridge-2", "parks-2", "parks-3", "parks-4"})


def test_a_slug_is_never_a_number():
    # The API reads a number as an id: /api/v1/articles/2025 is article 2025.
    assert transliterate_slug("2025") == "article-2025"
    assert transliterate_slug("2025!") == "article-2025"
    assert transliterate_slug("2025 год") == "2025-god"
    assert unique_slugs(["2025", "2025"], lambda candidates: set()) == [
        "article-2025",
        "article-2025-2",
    ]
