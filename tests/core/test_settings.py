"""Settings come from the environment and fail loudly; production passes `check --deploy`."""

import os
import subprocess
import sys

PRODUCTION_ENV = {
    "SECRET_KEY": "k" * 20 + "-Zq8#vR2$mN5&pL7!xW3@cT9^bY4*hJ6",
    "ALLOWED_HOSTS": "zs.example.gov.cn",
    "DEBUG": "false",
    "SESSION_COOKIE_SECURE": "true",
    "CSRF_COOKIE_SECURE": "true",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
}


def run_cli(*args, env_extra=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ZHAOSHANG_", "SECRET_KEY", "DEBUG"))}
    env.update(env_extra or {})
    code = "import sys; from zhaoshang.cli import main; main(['zhaoshang', *sys.argv[1:]])"
    return subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, timeout=120)


def test_check_deploy_passes_when_configured_for_production():
    result = run_cli("check", "--deploy", "--fail-level", "WARNING", env_extra=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_refuses_to_run_without_a_secret_key():
    env = dict(PRODUCTION_ENV)
    del env["SECRET_KEY"]
    result = run_cli("check", "--deploy", env_extra=env)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_bad_boolean_fails_loudly():
    result = run_cli("check", env_extra={"DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr
