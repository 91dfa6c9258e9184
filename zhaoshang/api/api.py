from ninja import NinjaAPI

api = NinjaAPI(title="Zhaoshang API", version="1", urls_namespace="api")
