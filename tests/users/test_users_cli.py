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
