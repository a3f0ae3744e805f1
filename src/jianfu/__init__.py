"""Jianfu (减负): the village/community burden-reduction platform."""
