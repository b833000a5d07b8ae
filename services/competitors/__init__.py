"""Comparable projects and their survey records (可比楼盘调查)."""

from .surveys import (
    Latest,
    SurveyForm,
    add_competitor,
    add_survey,
    competitors_of,
    latest,
    latest_photos,
    take_photo,
)

__all__ = [
    'Latest',
    'SurveyForm',
    'add_competitor',
    'add_survey',
    'competitors_of',
    'latest',
    'latest_photos',
    'take_photo',
]
