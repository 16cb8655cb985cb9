"""The audit log as the API serves it (to admins), and the guard every mutation passes."""
