"""Read files as the run does before its rules: the batch with its money reconciled."""

from pipeline.read.batch import read_batch
from pipeline.review.batch import reconcile_batch


def read_checked(paths, *args, **kwargs):
    return reconcile_batch(read_batch(paths, *args, **kwargs))
