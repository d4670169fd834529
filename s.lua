wrk.headers["Authorization"] = "Bearer DcB28upMx-IbAJT9RV90-6Gn1ls7R8EAoCi1Myge7-E"
