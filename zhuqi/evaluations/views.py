def run_list(r):
    pass


run_detail = run_act = score_detail = score_docx = objection_new = objection_decide = objection_evidence = (
    index_page
) = run_list
