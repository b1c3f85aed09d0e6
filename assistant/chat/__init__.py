"""The chat orchestrator: a message in, an answer computed from the campaign's data out.

`request` validates the body, `context` finds the data to answer from, `intents` (the
package beside this one) decides what is asked, `skills` answer per kit, and
`orchestrator` ties them together and logs the turn.
"""
