#!/usr/bin/env python3
# Minimal data-set driver for the read-model projection figures in docs/benchmarks.md:
# usage: projection-data.py PORT TRANSFERS API_KEY [FIRST_ID]  (FIRST_ID > 0: skip creating the 10,000 accounts)
# 10,000 accounts (codes 1100/2100/4100/5100, ledger 840), then binary transfers in batches of 8,189;
# fails on any status other than created. HOT=1 makes account 1 the debit side of every transfer.
import http.client, json, os, struct, random, sys, time
port=int(sys.argv[1]); count=int(sys.argv[2]); key=sys.argv[3]; start=int(sys.argv[4]) if len(sys.argv)>4 else 0
c=http.client.HTTPConnection('127.0.0.1',port)
H={'Authorization':'Bearer '+key}
if start==0:
  accts=[{"id":"00000000-0000-0000-0000-%012x"%(i+1),"ledger":840,"code":[1100,2100,4100,5100][i%4]} for i in range(10000)]
  for i in range(0,len(accts),8189):
    c.request('POST','/v1/accounts',json.dumps({"accounts":accts[i:i+8189]}),dict(H,**{'Content-Type':'application/json'}))
    r=c.getresponse(); b=r.read(); assert r.status==200,b
rnd=random.Random(1)
t0=time.time(); sent=0; n=start
while sent<count:
  k=min(8189,count-sent); buf=bytearray(128*k)
  for j in range(k):
    n+=1; d=1 if os.environ.get("HOT") else rnd.randrange(1,10001); cr=rnd.randrange(2 if os.environ.get("HOT") else 1,10001)
    while cr==d: cr=rnd.randrange(1,10001)
    struct.pack_into('<QQQQQQQQ',buf,128*j,n,1<<40,d,0,cr,0,rnd.randrange(1,1000),0)
    struct.pack_into('<IHH',buf,128*j+112,840,1,0)
  c.request('POST','/v1/transfers',bytes(buf),dict(H,**{'Content-Type':'application/octet-stream'}))
  r=c.getresponse(); b=r.read(); assert r.status==200,b[:200]
  res=[struct.unpack_from('<I',b,16*i+8)[0] for i in range(k)]
  assert all(s==0xFFFFFFFF for s in res), set(res)
  sent+=k
print("sent",sent,"in",round(time.time()-t0,1),"s")
