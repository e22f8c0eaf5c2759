from enum import StrEnum


class AnalysisLevel(StrEnum):
    BASIC = "basic"
    STANDARD = "standard"
    THOROUGH = "thorough"

    def __str__(self) -> str:
        return str(self.value)
