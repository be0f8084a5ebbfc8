"""What a chatbot or an LLM uses: a tool definition, a compact tool result, a conversation.

::

    import policylib

    policy = policylib.load_policy()
    tools = [policy.tool_spec("openai")]          # or "anthropic", "json"
    result = policy.call_tool(arguments)          # a tool call's arguments -> a small dict
    conversation = policy.conversation(request)   # answer its questions one at a time

``tool_spec`` describes the tool for a model (the store, its request kinds, the rules
across fields) with the pack's request schema as its parameters, in each provider's shape.
``call_tool`` never raises for what a model sends; it returns the outcome, the reply, the
offers with ids and the changes they stand for, the one question and the citation, or the
problems by field (``schema_version`` 1). ``Conversation`` puts each answer in the field
its question names and decides again, never asking the same question twice.
"""

from policylib.llm.conversation import Answer, Conversation
from policylib.llm.result import (
    MAX_ERRORS,
    RESULT_SCHEMA,
    SCHEMA_VERSION,
    Decider,
    call_tool,
    error_result,
    tool_arguments,
    tool_result,
    without_nulls,
)
from policylib.llm.spec import (
    DEFAULT_TOOL_NAME,
    Provider,
    strict_schema,
    tool_description,
    tool_spec,
)

__all__ = [
    "DEFAULT_TOOL_NAME",
    "MAX_ERRORS",
    "RESULT_SCHEMA",
    "SCHEMA_VERSION",
    "Answer",
    "Conversation",
    "Decider",
    "Provider",
    "call_tool",
    "error_result",
    "strict_schema",
    "tool_arguments",
    "tool_description",
    "tool_result",
    "tool_spec",
    "without_nulls",
]
