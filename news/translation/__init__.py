"""Machine and human translation of articles between Kazakh, Russian and English.

`engines` talk to the translation services, `html` and `chunks` keep markup and fit texts
into an engine's limits, `terms` keeps official titles and names, `service` is the one
place translations are requested, made, edited and reviewed, and `overview` builds the
editors' articles × languages table.
"""
