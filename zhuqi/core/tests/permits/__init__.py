"""A module as the next issue's modules will be: one folder, installed by one line in INSTALLED_APPS (the test
settings'), with no change to any file outside it. It brings 审批许可 (permit applications): a kind of case with
its own transition table, a timeline kind, a 工作台 card, a periodic task and a scope. test_module.py proves each
reaches the platform through the registries alone."""
