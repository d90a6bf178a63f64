from django.http import HttpResponse


def return_list(request):
    return HttpResponse()


def campaign_list(request):
    return HttpResponse()
