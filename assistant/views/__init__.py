"""The assistant's REST views, one module per resource."""
