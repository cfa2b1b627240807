package io.carbonstream.support;

import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ext.ParamConverter;
import jakarta.ws.rs.ext.ParamConverterProvider;
import jakarta.ws.rs.ext.Provider;

import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.math.BigDecimal;

/** Decimal query parameters go through {@link Params#decimal}: {@code ?pue=1e999999999} is a 400, never a number. */
@Provider
public class DecimalParams implements ParamConverterProvider {

    @Override
    @SuppressWarnings("unchecked")
    public <T> ParamConverter<T> getConverter(Class<T> rawType, Type genericType, Annotation[] annotations) {
        if (rawType != BigDecimal.class) {
            return null;
        }
        String name = "value";
        for (Annotation a : annotations) {
            if (a instanceof QueryParam q) {
                name = q.value();
            }
        }
        String field = name;
        return (ParamConverter<T>) new ParamConverter<BigDecimal>() {
            @Override
            public BigDecimal fromString(String value) {
                return value == null ? null : Params.decimal(field, value);
            }

            @Override
            public String toString(BigDecimal value) {
                return value.toPlainString();
            }
        };
    }
}
