"""Bringing incoming press releases in.

Pure steps, no ORM: `inputs` reads and parses (with `digest`, `feeds`, `govkz`, `decoding`,
`formats`, `image_links`, `http`), `normalize` cleans, `resolve` and `dedup` answer from
plain data. Then `prepare` resolves a release against the reference data read once per
import, `saving` deduplicates and saves an input (writing through `articles`, then fetching
lead photos through `lead_photos` once each chunk commits), `runs` queues, claims, re-sends
and closes import runs, and `sources` runs a configured source and keeps its schedule.
"""
