/*
 * libpq, opened when the first PostgreSQL TM is (base/dynlib.h says why).
 * store_pg.c includes this header after <libpq-fe.h>: each PQ function it
 * calls becomes a call through td__pq, filled by td__pq_load.
 */
#ifndef TD_MEMORY_PQ_H
#define TD_MEMORY_PQ_H

#include <libpq-fe.h>

#define TD__PQ_FUNCS(X) \
	X(PQclear) X(PQcmdTuples) X(PQconnectdbParams) X(PQdb) X(PQerrorMessage) \
	X(PQescapeLiteral) X(PQexec) X(PQexecParams) X(PQfinish) X(PQfreemem) \
	X(PQgetResult) X(PQgetisnull) X(PQgetvalue) X(PQhost) X(PQntuples) X(PQport) \
	X(PQputCopyData) X(PQputCopyEnd) X(PQresultErrorField) X(PQresultErrorMessage) \
	X(PQresultStatus) X(PQsendQuery) X(PQsetClientEncoding) X(PQsetNoticeProcessor) \
	X(PQstatus) X(PQuser)

#define TD__PQ_FIELD(f) __typeof__(f) *f;
typedef struct {
	TD__PQ_FUNCS(TD__PQ_FIELD)
} td__pq_api;
#undef TD__PQ_FIELD

extern td__pq_api td__pq;

/* Open libpq once per process; 0, or < 0 with the error set. */
int td__pq_load(void);

#ifndef TD__PQ_IMPL
#define PQclear (td__pq.PQclear)
#define PQcmdTuples (td__pq.PQcmdTuples)
#define PQconnectdbParams (td__pq.PQconnectdbParams)
#define PQdb (td__pq.PQdb)
#define PQerrorMessage (td__pq.PQerrorMessage)
#define PQescapeLiteral (td__pq.PQescapeLiteral)
#define PQexec (td__pq.PQexec)
#define PQexecParams (td__pq.PQexecParams)
#define PQfinish (td__pq.PQfinish)
#define PQfreemem (td__pq.PQfreemem)
#define PQgetResult (td__pq.PQgetResult)
#define PQgetisnull (td__pq.PQgetisnull)
#define PQgetvalue (td__pq.PQgetvalue)
#define PQhost (td__pq.PQhost)
#define PQntuples (td__pq.PQntuples)
#define PQport (td__pq.PQport)
#define PQputCopyData (td__pq.PQputCopyData)
#define PQputCopyEnd (td__pq.PQputCopyEnd)
#define PQresultErrorField (td__pq.PQresultErrorField)
#define PQresultErrorMessage (td__pq.PQresultErrorMessage)
#define PQresultStatus (td__pq.PQresultStatus)
#define PQsendQuery (td__pq.PQsendQuery)
#define PQsetClientEncoding (td__pq.PQsetClientEncoding)
#define PQsetNoticeProcessor (td__pq.PQsetNoticeProcessor)
#define PQstatus (td__pq.PQstatus)
#define PQuser (td__pq.PQuser)
#endif

#endif
