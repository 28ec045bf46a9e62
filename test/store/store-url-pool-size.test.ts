import { describe, expect, it } from "vitest";
import { takePoolSize } from "../../src/store/postgres/store-url-pool-size.ts";

describe("a store URL's pool_size", () => {
  it("is taken out of the URL the driver gets, with its separator", () => {
    expect(takePoolSize("postgres://u:p@db:5432/tansuo?pool_size=40")).toEqual({
      url: "postgres://u:p@db:5432/tansuo",
      poolSize: 40,
    });
    expect(takePoolSize("postgres://db/tansuo?sslmode=require&pool_size=3&application_name=w")).toEqual({
      url: "postgres://db/tansuo?sslmode=require&application_name=w",
      poolSize: 3,
    });
    expect(takePoolSize("postgres://db/tansuo?pool_size=3&sslmode=require")).toEqual({
      url: "postgres://db/tansuo?sslmode=require",
      poolSize: 3,
    });
    expect(takePoolSize("postgres://db/tansuo")).toEqual({ url: "postgres://db/tansuo" });
  });

  it("must be a whole number from 1, and the error hides the password", () => {
    for (const bad of ["0", "2.5", "many", ""]) {
      expect(() => takePoolSize(`postgres://u:secret@db/tansuo?pool_size=${bad}`)).toThrow(
        /pool_size=.*must be a whole number of connections from 1/,
      );
    }
    expect(() => takePoolSize("postgres://u:secret@db/tansuo?pool_size=0")).toThrow(/u:\*\*\*@db/);
  });
});
