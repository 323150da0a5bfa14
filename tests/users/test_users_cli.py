"""``kic users``: the password comes from a hidden prompt or KIC_PASSWORD, never from an option."""

from __future__ import annotations

from click.testing import CliRunner

from kic.cli import main


def run(url: str, *args: str, env: dict[str, str] | None = None, prompt: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["users", *args, "--database", url], env=env, input=prompt)


def test_users_are_added_listed_deactivated_and_given_a_new_password(db):
    url = db.url.render_as_string(hide_password=False)
    added = run(
        url,
        "add",
        "p.devries",
        "--naam",
        "Piet de Vries",
        "--rol",
        "accountant",
        env={"KIC_PASSWORD": "een-lang-wachtwoord"},
    )
    assert added.exit_code == 0 and "aangemaakt met rol accountant" in added.output
    prompted = run(
        url,
        "add",
        "k.bakker",
        "--naam",
        "Kim Bakker",
        "--rol",
        "beheerder",
        prompt="nog-een-lang-wachtwoord\nnog-een-lang-wachtwoord\n",
    )
    assert prompted.exit_code == 0 and "nog-een-lang-wachtwoord" not in prompted.output
    assert run(url, "deactivate", "p.devries").exit_code == 0
    listed = run(url, "list").output.splitlines()
    assert [line.split()[:3] for line in listed] == [
        ["k.bakker", "beheerder", "actief"],
        ["p.devries", "accountant", "gedeactiveerd"],
    ]
    assert run(url, "password", "k.bakker", env={"KIC_PASSWORD": "weer-een-nieuw-wachtwoord"}).exit_code == 0


def test_a_password_option_does_not_exist_and_problems_are_one_dutch_message(db):
    url = db.url.render_as_string(hide_password=False)
    assert run(url, "add", "x", "--naam", "X", "--rol", "accountant", "--wachtwoord", "geheim").exit_code == 2
    refused = run(url, "add", "X!", "--naam", " ", "--rol", "accountant", env={"KIC_PASSWORD": "kort"})
    assert refused.exit_code == 1
    assert (
        "gebruikersnaam" in refused.output and "naam in" in refused.output and "12 tekens" in refused.output
    )
    assert run(url, "deactivate", "niemand").exit_code == 1


def test_a_user_is_limited_to_gemeenten_and_the_limit_lifted(db):
    from kic.db import session_scope
    from kic.gemeenten import add_gemeente

    url = db.url.render_as_string(hide_password=False)
    with session_scope(db) as session:
        add_gemeente(session, "GM9901", "Synthedam", actor="beheer")
        add_gemeente(session, "GM9902", "Proefwolde", actor="beheer")
    env = {"KIC_PASSWORD": "een-lang-wachtwoord"}
    added = run(url, "add", "a.aart", "--naam", "Aart", "--rol", "accountant", "--gemeente", "9901", env=env)
    assert added.exit_code == 0 and "voor GM9901" in added.output
    refused = run(
        url, "add", "b.beheer", "--naam", "B", "--rol", "beheerder", "--gemeente", "GM9901", env=env
    )
    assert refused.exit_code != 0 and "beheerder werkt voor de hele installatie" in refused.output
    unknown = run(url, "gemeenten", "a.aart", "GM0363")
    assert unknown.exit_code != 0 and "gemeente GM0363 is niet vastgelegd" in unknown.output
    assert run(url, "gemeenten", "a.aart", "GM9901", "GM9902").output.strip() == (
        "Gebruiker a.aart werkt nu voor GM9901, GM9902."
    )
    assert "(alleen GM9901, GM9902)" in run(url, "list").output
    assert "werkt nu voor alle gemeenten" in run(url, "gemeenten", "a.aart", "--alle").output
    assert "alleen" not in run(url, "list").output
    assert run(url, "gemeenten", "a.aart").exit_code == 2, "a gemeente or --alle"
