"""The tool's own credentials: the `amika` CLI's files, precedence, status and logout.

Reads and writes exactly what the Go CLI does, so logging in with one tool works for the
other. No Textual imports here.
"""

from amika_tui.auth.device import (
    DeviceCode,
    DeviceLoginDenied,
    DeviceLoginError,
    DeviceLoginExpired,
    poll_for_session,
    request_device_code,
)
from amika_tui.auth.paths import api_key_path, session_path, state_dir
from amika_tui.auth.resolve import (
    DEFAULT_API_URL,
    ENV_TOKEN_PROVIDER_URL,
    AuthStatus,
    CredentialKind,
    LogoutResult,
    ResolvedCredentials,
    api_base_url,
    auth_status,
    logout,
    resolve_credentials,
    resolve_token_source,
    save_api_key,
    token_provider_credentials,
)
from amika_tui.auth.session import SessionTokenSource, workos_api_url, workos_client_id
from amika_tui.auth.store import CredentialFileError, WorkOSSession

__all__ = [
    "DEFAULT_API_URL",
    "ENV_TOKEN_PROVIDER_URL",
    "AuthStatus",
    "CredentialFileError",
    "CredentialKind",
    "DeviceCode",
    "DeviceLoginDenied",
    "DeviceLoginError",
    "DeviceLoginExpired",
    "LogoutResult",
    "ResolvedCredentials",
    "SessionTokenSource",
    "WorkOSSession",
    "api_base_url",
    "api_key_path",
    "auth_status",
    "logout",
    "poll_for_session",
    "request_device_code",
    "resolve_credentials",
    "resolve_token_source",
    "save_api_key",
    "session_path",
    "state_dir",
    "token_provider_credentials",
    "workos_api_url",
    "workos_client_id",
]
