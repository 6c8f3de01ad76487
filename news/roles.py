"""Names of the editorial groups created by migration news.0002_roles."""

PRESS_OFFICERS = "Press officers"
EDITORS = "Editors"
ADMINISTRATORS = "Administrators"
