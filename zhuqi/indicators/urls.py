from django.urls import path

from . import views

urlpatterns = [
    path("rules/", views.ruleset_list, name="ruleset-list"),
    path("rules/sets/<int:pk>/", views.ruleset_detail, name="ruleset-detail"),
    path("rules/sets/<int:pk>/new/", views.rule_new, name="rule-new"),
    path("rules/sets/<int:pk>/try/", views.rule_try, name="rule-try"),
    path("rules/<int:pk>/", views.rule_edit, name="rule-edit"),
    path("rules/<int:pk>/activate/", views.rule_activate, name="rule-activate"),
]
