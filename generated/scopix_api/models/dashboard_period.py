from enum import StrEnum


class DashboardPeriod(StrEnum):
    MONTH = "month"
    WEEK = "week"
    YEAR = "year"

    def __str__(self) -> str:
        return str(self.value)
