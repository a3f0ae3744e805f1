"""Workflow tables (core.workflow): the helper's refusals, and that every state machine is declared as a table."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models

from jianfu.core.workflow import REGISTERED, Transition, Workflow


class Light(models.TextChoices):
    RED = "red", "红灯"
    GREEN = "green", "绿灯"
    YELLOW = "yellow", "黄灯"


class Lamp:
    def __init__(self, status):
        self.status = status

    def __str__(self):
        return "路口信号灯"


FLOW = Workflow(
    Light,
    Transition("go", "放行", {Light.RED}, Light.GREEN),
    Transition("slow", "减速", {Light.GREEN}, Light.YELLOW),
    Transition("stop", "停止", {Light.YELLOW, Light.GREEN}, Light.RED),
    Transition("look", "查看", {Light.RED, Light.GREEN, Light.YELLOW}),
)
REGISTERED.remove(FLOW)  # a test fixture, not one of the product's state machines


def test_it_moves_along_a_declared_arrow_and_reports_from_and_to():
    lamp = Lamp(Light.RED)
    assert FLOW.move(lamp, "go") == ("red", "green")
    assert lamp.status == Light.GREEN


def test_it_refuses_a_step_from_a_wrong_state_naming_the_record_its_state_and_the_states_it_needs():
    lamp = Lamp(Light.RED)
    with pytest.raises(ValidationError) as refused:
        FLOW.move(lamp, "stop")
    assert refused.value.messages == ["“路口信号灯”当前为“红灯”，不能停止（只有“绿灯、黄灯”时可以）。"]
    assert lamp.status == Light.RED


def test_a_step_without_a_target_is_allowed_but_does_not_move():
    lamp = Lamp(Light.YELLOW)
    assert FLOW.move(lamp, "look") == ("yellow", "yellow")


def test_pages_ask_which_steps_are_open():
    assert [t.code for t in FLOW.actions(Lamp(Light.GREEN))] == ["slow", "stop", "look"]
    assert FLOW.may(Lamp(Light.RED), "go") and not FLOW.may(Lamp(Light.RED), "slow")


def test_it_refuses_a_table_that_names_an_unknown_state_or_repeats_a_step():
    with pytest.raises(ValueError):
        Workflow(Light, Transition("go", "放行", {"blue"}, Light.GREEN))
    with pytest.raises(ValueError):
        Workflow(
            Light, Transition("go", "放行", {Light.RED}, Light.GREEN), Transition("go", "再放行", {Light.RED})
        )


# Status fields that are not a business workflow, with the reason. Anything else with a status must have a table.
NOT_WORKFLOWS = {
    ("jobs.JobRun", "status"): "the scheduler's run states, moved by the queue, not by people",
    ("jobs.Work", "status"): "a background operation's progress, moved by the worker",
    ("notifications.Delivery", "status"): "a message's delivery attempts, moved by the sender",
    ("admission.Reminder", "status"): "a copy of the application's state when the reminder was sent",
    ("admission.Opinion", "stage"): "which review step an opinion belongs to, not a state",
    ("consultation.Measure", "status"): "derived from the progress percentage (100 is done)",
}


def state_fields():
    for model in apps.get_models():
        if not model.__module__.startswith("jianfu."):
            continue
        for field in model._meta.concrete_fields:
            if field.choices and field.name in ("status", "state", "stage"):
                yield (model._meta.label, field.name), {str(value) for value, _ in field.choices}


def test_every_state_machine_is_declared_as_a_table():
    declared = [({str(s) for s in flow.states.values}, flow.field) for flow in REGISTERED]
    missing = [
        key for key, values in state_fields() if key not in NOT_WORKFLOWS and (values, key[1]) not in declared
    ]
    assert not missing, f"declare a core.workflow.Workflow for {missing}"


def test_the_list_of_exceptions_names_only_real_fields():
    known = dict(state_fields())
    stale = [key for key in NOT_WORKFLOWS if key not in known]
    assert not stale, f"no such state field any more: {stale}"
