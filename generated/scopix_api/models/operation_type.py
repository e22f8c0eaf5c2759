from enum import StrEnum


class OperationType(StrEnum):
    CHAT = "chat"
    DOCUMENT_ANALYSIS = "document_analysis"
    FILE_UPLOAD = "file_upload"
    IMAGE_ANALYSIS = "image_analysis"
    SEARCH = "search"
    USAGE_QUERY = "usage_query"
    VIDEO_ANALYSIS = "video_analysis"

    def __str__(self) -> str:
        return str(self.value)
