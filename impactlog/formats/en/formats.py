"""English as it is read in Riga, Vilnius, Tallinn, Ljubljana, Stockholm and Helsinki.

Django's own English formats are American (11/30/2026, 3 p.m., weeks from Sunday). The people
who read the logbook in English live in Europe, so English follows European conventions: the
day before the month, the 24-hour clock and weeks from Monday, as in British and Irish English.
Whatever is not named here falls back to Django's English formats.

The display formats use the Django date format syntax, the input formats Python's strftime
syntax. The first input format of each list is ISO 8601: the date and time inputs of the forms
(type="date", type="time") are written and read in it whatever the language.
"""

DATE_FORMAT = "j F Y"  # 30 November 2026
TIME_FORMAT = "H:i"  # 15:00
DATETIME_FORMAT = "j F Y, H:i"  # 30 November 2026, 15:00
YEAR_MONTH_FORMAT = "F Y"  # November 2026
MONTH_DAY_FORMAT = "j F"  # 30 November
SHORT_DATE_FORMAT = "d/m/Y"  # 30/11/2026
SHORT_DATETIME_FORMAT = "d/m/Y H:i"  # 30/11/2026 15:00
FIRST_DAY_OF_WEEK = 1  # Monday

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2026-11-30
    "%d/%m/%Y",  # 30/11/2026
    "%d/%m/%y",  # 30/11/26
    "%d.%m.%Y",  # 30.11.2026
    "%d %b %Y",  # 30 Nov 2026
    "%d %B %Y",  # 30 November 2026
]
TIME_INPUT_FORMATS = [
    "%H:%M:%S",  # 15:00:59
    "%H:%M:%S.%f",  # 15:00:59.000200
    "%H:%M",  # 15:00
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",  # 2026-11-30 15:00:59
    "%Y-%m-%d %H:%M:%S.%f",  # 2026-11-30 15:00:59.000200
    "%Y-%m-%d %H:%M",  # 2026-11-30 15:00
    "%d/%m/%Y %H:%M:%S",  # 30/11/2026 15:00:59
    "%d/%m/%Y %H:%M",  # 30/11/2026 15:00
    "%d/%m/%y %H:%M",  # 30/11/26 15:00
]

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","  # 1,234 (the figures group thousands with number_format(force_grouping))
NUMBER_GROUPING = 3
