const koffi=require('koffi');
const lib=koffi.load('libopenblas.so.0');
const sgemm=lib.func('void cblas_sgemm(int,int,int,int,int,int,float,const float*,int,const float*,int,float,float*,int)');
const dpotrf=lib.func('void dpotrf_(const char*, const int*, double*, const int*, int*)');
const ssyrk=lib.func('void cblas_ssyrk(int,int,int,int,int,float,const float*,int,float,float*,int)');
const D=2048,B=64; const U=new Float32Array(B*D).map(()=>Math.random()-0.5); const A=new Float32Array(D*D);
console.log('start');
for(let it=0;it<5;it++){const t=performance.now(); ssyrk(101,121,112,D,B,1,U,D,0,A,D); console.log('ssyrk ms',performance.now()-t);}
for(let it=0;it<5;it++){const t=performance.now(); sgemm(101,112,111,D,D,B,1,U,D,U,D,0,A,D); console.log('sgemm ms',performance.now()-t);}
const M=new Float64Array(D*D); for(let i=0;i<D;i++)M[i*D+i]=1+i;
const info=new Int32Array(1);
const t=performance.now(); dpotrf('L',new Int32Array([D]),M,new Int32Array([D]),info); console.log('dpotrf ms',performance.now()-t, info[0]);
