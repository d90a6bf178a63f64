from django.conf import settings


def zone(request):
    return {"zone_name": settings.ZHUQI_ZONE_NAME}
