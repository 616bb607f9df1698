"""pipeline: read, reconcile and review departments' 项目支出绩效目标表."""

__version__ = "0.1.0"
