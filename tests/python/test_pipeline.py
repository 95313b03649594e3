"""test_pipeline.py - the ranking as a Pipeline step in front of J48 under
cross_val_score on Weka's folds (the study's rank -> top k -> J48), and
rank as SelectKBest's score function; n_jobs does not change results.
"""
import numpy as np
from sklearn.feature_selection import SelectKBest
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline

import baiot
from conftest import load_arff


def test_rank_then_j48_in_cross_val_score(demo_store):
    df = baiot.read_store(demo_store)
    X, y = df.drop(columns="class"), df["class"]
    pipe = make_pipeline(baiot.OneRSelector(k=5), baiot.J48Classifier())
    scores = cross_val_score(pipe, X, y, cv=baiot.WekaFolds(3, 1))
    assert scores.shape == (3,) and np.all(scores > 0.9)
    one = cross_val_score(make_pipeline(baiot.OneRSelector(k=5, n_jobs=1), baiot.J48Classifier(n_jobs=1)),
                          X, y, cv=baiot.WekaFolds(3, 1))
    assert np.array_equal(scores, one)


def test_rank_as_score_func():
    X, y, _ = load_arff("segment-challenge")
    # SelectKBest hands rank a plain array: the categorical's codes keep
    # the ARFF's class order (sorted labels would number the classes anew)
    sel = SelectKBest(baiot.rank, k=4).fit(X, y.cat.codes)
    ours = baiot.OneRSelector(k=4).fit(X, y)
    assert set(np.flatnonzero(sel.get_support())) == set(np.flatnonzero(ours.get_support()))
    assert np.array_equal(sel.scores_, ours.merits_)
